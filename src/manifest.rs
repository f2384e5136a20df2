//! The Teams app package (`doberman manifest`): `manifest.json` from `manifest/manifest.json`, the configuration
//! and the command declarations, zipped with the icons of `manifest/`.

use std::io::Write;

use anyhow::Context;
use serde_json::{Value, json};

use crate::chat::commands::{ALL_SCOPES, COMMANDS, CommandSpec, Scope};
use crate::config::Config;
use crate::i18n::Lang;
use crate::t;

/// The static part of the manifest: descriptions, accent colour, scopes, permissions.
const TEMPLATE: &str = include_str!("../manifest/manifest.json");
/// 192×192, full colour.
pub const COLOR_ICON: &[u8] = include_bytes!("../manifest/color.png");
/// 32×32, white on transparent.
pub const OUTLINE_ICON: &[u8] = include_bytes!("../manifest/outline.png");
/// Commands Teams shows per scope at most.
pub const MAX_COMMANDS: usize = 10;
/// Valid domains the manifest schema allows.
const MAX_DOMAINS: usize = 16;
/// Longest command title Teams shows in full.
const MAX_TITLE: usize = 32;

/// Why a package cannot be made from this configuration: what to set.
#[derive(Debug, thiserror::Error)]
#[error("Cannot make the Teams app package: {}", .0.join("; "))]
pub struct NotConfigured(pub Vec<String>);

/// The manifest for `config`.
pub fn manifest(config: &Config) -> Result<Value, NotConfigured> {
    let mut missing = Vec::new();
    let bot_id = match uuid::Uuid::parse_str(config.teams.app_id.trim()) {
        Ok(id) => Some(id),
        Err(_) if config.teams.app_id.trim().is_empty() => {
            missing.push("set teams.app_id to the bot's Microsoft App ID (a GUID)".to_owned());
            None
        }
        Err(_) => {
            missing.push(format!(
                "teams.app_id `{}` is not a GUID, which the manifest's botId must be",
                config.teams.app_id
            ));
            None
        }
    };
    let m = &config.manifest;
    if m.website_url.is_none() {
        missing.push("set manifest.website_url to the publisher's https:// page".to_owned());
    }
    let (Some(bot_id), Some(website)) = (bot_id, m.website_url.as_ref()) else {
        return Err(NotConfigured(missing));
    };
    let mut manifest: Value =
        serde_json::from_str(TEMPLATE).expect("manifest/manifest.json is JSON");
    let bot_id = bot_id.to_string();
    manifest["version"] = json!(env!("CARGO_PKG_VERSION"));
    manifest["id"] = json!(m.id.map_or_else(|| bot_id.clone(), |id| id.to_string()));
    manifest["developer"] = json!({
        "name": m.developer_name,
        "websiteUrl": website.as_str(),
        "privacyUrl": m.privacy_url.as_ref().unwrap_or(website).as_str(),
        "termsOfUseUrl": m.terms_url.as_ref().unwrap_or(website).as_str(),
    });
    manifest["name"]["short"] = json!(m.name);
    crate::i18n::sync_scope(Lang::En, || {
        manifest["name"]["full"] = json!(t!("manifest-name-full"));
        manifest["description"] = json!({
            "short": t!("manifest-description-short"),
            "full": t!("manifest-description-full"),
        });
    });
    manifest["bots"][0]["botId"] = json!(bot_id);
    manifest["bots"][0]["commandLists"] = json!(command_lists());
    manifest["localizationInfo"] = json!({
        "defaultLanguageTag": "en-us",
        "additionalLanguages": [{ "languageTag": "ko-kr", "file": LOCALIZATION_FILE }],
    });
    manifest["webApplicationInfo"] =
        json!({"id": bot_id, "resource": format!("api://botid-{bot_id}")});
    let mut domains: Vec<String> = Vec::new();
    for domain in config
        .superset
        .url
        .iter()
        .filter_map(|u| u.host_str().map(str::to_owned))
        .chain(m.valid_domains.iter().map(|d| d.to_lowercase()))
    {
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if domains.len() > MAX_DOMAINS {
        return Err(NotConfigured(vec![format!(
            "Teams takes at most {MAX_DOMAINS} valid domains; the host of superset.url and manifest.valid_domains \
             make {}",
            domains.len()
        )]));
    }
    manifest["validDomains"] = json!(domains);
    Ok(manifest)
}

/// One command list per set of scopes with the same commands: the declarations in order (most used first),
/// admin commands last, at most [`MAX_COMMANDS`] each.
pub fn command_lists() -> Vec<Value> {
    let mut lists: Vec<(Vec<Scope>, Vec<&CommandSpec>)> = Vec::new();
    for &scope in ALL_SCOPES {
        let mut commands: Vec<&CommandSpec> = COMMANDS
            .iter()
            .filter(|c| c.scopes.contains(&scope))
            .collect();
        commands.sort_by_key(|c| c.admin);
        commands.truncate(MAX_COMMANDS);
        match lists.iter_mut().find(|(_, cs)| *cs == commands) {
            Some((scopes, _)) => scopes.push(scope),
            None => lists.push((vec![scope], commands)),
        }
    }
    lists
        .into_iter()
        .map(|(scopes, commands)| {
            json!({
                "scopes": scopes.iter().map(|s| s.manifest_name()).collect::<Vec<_>>(),
                "commands": commands.iter().map(|c| json!({
                    "title": c.name.chars().take(MAX_TITLE).collect::<String>(),
                    "description": crate::i18n::sync_scope(crate::i18n::Lang::En, || c.summary()),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// The Korean localization file of the package, named in `localizationInfo`.
pub const LOCALIZATION_FILE: &str = "ko-kr.json";

/// What Teams shows a Korean user instead of the manifest's English: the names, the descriptions and every
/// command's description, in the localization file format (keys are paths into the manifest).
pub fn localization(manifest: &Value, lang: Lang) -> Value {
    crate::i18n::sync_scope(lang, || {
        let mut out = serde_json::Map::new();
        out.insert(
            "$schema".into(),
            json!("https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.Localization.schema.json"),
        );
        out.insert("name.short".into(), manifest["name"]["short"].clone());
        out.insert("name.full".into(), json!(t!("manifest-name-full")));
        out.insert(
            "description.short".into(),
            json!(t!("manifest-description-short")),
        );
        out.insert(
            "description.full".into(),
            json!(t!("manifest-description-full")),
        );
        for (i, list) in manifest["bots"][0]["commandLists"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            for (j, command) in list["commands"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let Some(spec) = COMMANDS
                    .iter()
                    .find(|c| Some(c.name) == command["title"].as_str())
                else {
                    continue;
                };
                // Titles are what people type: they stay.
                out.insert(
                    format!("bots[0].commandLists[{i}].commands[{j}].title"),
                    command["title"].clone(),
                );
                out.insert(
                    format!("bots[0].commandLists[{i}].commands[{j}].description"),
                    json!(spec.summary()),
                );
            }
        }
        Value::Object(out)
    })
}

/// The package: `manifest.json`, its Korean localization and both icons at the root of a zip, as Teams uploads
/// it.
pub fn package(manifest: &Value) -> anyhow::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let json = serde_json::to_vec_pretty(manifest).context("Failed to write manifest.json")?;
    let korean = serde_json::to_vec_pretty(&localization(manifest, Lang::Ko))
        .context("Failed to write the Korean localization")?;
    for (name, bytes) in [
        ("manifest.json", json.as_slice()),
        (LOCALIZATION_FILE, korean.as_slice()),
        ("color.png", COLOR_ICON),
        ("outline.png", OUTLINE_ICON),
    ] {
        zip.start_file(name, options)
            .with_context(|| format!("Failed to add {name} to the package"))?;
        zip.write_all(bytes)
            .with_context(|| format!("Failed to add {name} to the package"))?;
    }
    Ok(zip
        .finish()
        .context("Failed to finish the package")?
        .into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_gets_at_most_ten_commands_each_once() {
        let lists = command_lists();
        let mut scopes: Vec<&str> = lists
            .iter()
            .flat_map(|l| {
                l["scopes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap())
            })
            .collect();
        scopes.sort();
        assert_eq!(scopes, ["groupChat", "personal", "team"]);
        for list in &lists {
            let commands = list["commands"].as_array().unwrap();
            assert!(!commands.is_empty() && commands.len() <= MAX_COMMANDS);
            let titles: Vec<&str> = commands
                .iter()
                .map(|c| c["title"].as_str().unwrap())
                .collect();
            assert!(
                titles.contains(&"catalog table") && titles.contains(&"help"),
                "{titles:?}"
            );
            let admin: Vec<bool> = titles
                .iter()
                .map(|t| COMMANDS.iter().any(|c| c.name == *t && c.admin))
                .collect();
            assert!(
                admin.windows(2).all(|w| w[0] <= w[1]),
                "admin commands last: {titles:?}"
            );
        }
    }

    #[test]
    fn the_icons_are_pngs_of_the_sizes_teams_asks() {
        let size = |png: &[u8]| {
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            (
                u32::from_be_bytes(png[16..20].try_into().unwrap()),
                u32::from_be_bytes(png[20..24].try_into().unwrap()),
            )
        };
        assert_eq!(size(COLOR_ICON), (192, 192));
        assert_eq!(size(OUTLINE_ICON), (32, 32));
    }
}
