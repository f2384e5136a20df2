//! Adaptive Card templates: JSON with `${…}` expressions, `$data` (scope, or repetition over an array),
//! `$when` (drop the element when false), `$root` and `$index`. Parsed once into a tree; expanded many times.
//!
//! Semantics follow Microsoft's `adaptivecards-templating` 2.3 (checked by `tests/peers/cards.mjs`):
//! a string that is one whole `${expr}` keeps the value's JSON type; an expression whose value is undefined is
//! left as written; `$data` bound to an array repeats the element (spliced into an enclosing array); an object
//! dropped by `$when` becomes `null` where it is a property value and disappears from arrays.

use serde_json::{Map, Value};

use super::expr::{self, EvalError, Expr, ParseError, Scope};

/// Why a template cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {error}")]
pub struct TemplateError {
    /// Where in the template (JSON pointer).
    pub path: String,
    /// What is wrong.
    pub error: ParseError,
}

/// Why a template could not be expanded with some data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {error}")]
pub struct ExpandError {
    /// Where in the template (JSON pointer).
    pub path: String,
    /// What went wrong.
    pub error: EvalError,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Expr(Expr, String),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Const(Value),
    /// A string that is one whole expression: keeps the value's type.
    Whole(Expr, String),
    /// A string with text and expressions.
    Text(Vec<Part>),
    Array(Vec<(String, Node)>),
    Object {
        data: Option<Box<Node>>,
        when: Option<Box<Node>>,
        /// (key, JSON pointer, node).
        fields: Vec<(String, String, Node)>,
    },
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    root: Node,
}

enum Expanded {
    One(Value),
    Many(Vec<Value>),
    Dropped,
}

/// Splits a string into text and `${…}` expressions; braces inside quoted strings do not count.
fn split(s: &str) -> Result<Vec<(bool, String)>, String> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let body = &rest[start + 2..];
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut end = None;
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match (quote, c) {
                (Some(q), '\\') if q != '\0' => {
                    chars.next();
                }
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '{') => depth += 1,
                (None, '}') if depth == 0 => {
                    end = Some(i);
                    break;
                }
                (None, '}') => depth -= 1,
                _ => {}
            }
        }
        let Some(end) = end else {
            return Err("`${` without its closing `}`".into());
        };
        if start > 0 {
            parts.push((false, rest[..start].to_owned()));
        }
        parts.push((true, body[..end].to_owned()));
        rest = &body[end + 1..];
    }
    if !rest.is_empty() {
        parts.push((false, rest.to_owned()));
    }
    Ok(parts)
}

fn compile(value: &Value, path: &str) -> Result<Node, TemplateError> {
    let fail = |error: ParseError| TemplateError {
        path: path.to_owned(),
        error,
    };
    Ok(match value {
        Value::String(s) if s.contains("${") => {
            let parts = split(s).map_err(|message| {
                fail(ParseError {
                    source_text: s.clone(),
                    message,
                })
            })?;
            match parts.as_slice() {
                [(true, src)] => Node::Whole(expr::parse(src).map_err(fail)?, s.clone()),
                _ => Node::Text(
                    parts
                        .into_iter()
                        .map(|(is_expr, text)| {
                            if is_expr {
                                Ok(Part::Expr(
                                    expr::parse(&text).map_err(fail)?,
                                    format!("${{{text}}}"),
                                ))
                            } else {
                                Ok(Part::Text(text))
                            }
                        })
                        .collect::<Result<_, TemplateError>>()?,
                ),
            }
        }
        Value::Array(items) => Node::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let p = format!("{path}/{i}");
                    compile(item, &p).map(|node| (p, node))
                })
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => {
            let mut data = None;
            let mut when = None;
            let mut fields = Vec::new();
            for (key, item) in map {
                let p = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                let node = compile(item, &p)?;
                match key.as_str() {
                    "$data" => data = Some(Box::new(node)),
                    "$when" => when = Some(Box::new(node)),
                    _ => fields.push((key.clone(), p, node)),
                }
            }
            if data.is_none()
                && when.is_none()
                && fields.iter().all(|(_, _, n)| matches!(n, Node::Const(_)))
            {
                Node::Const(value.clone())
            } else {
                Node::Object { data, when, fields }
            }
        }
        other => Node::Const(other.clone()),
    })
}

impl Template {
    /// Parses a template; every expression is checked now, so an unsupported function fails here.
    pub fn parse(template: &Value) -> Result<Template, TemplateError> {
        Ok(Template {
            root: compile(template, "")?,
        })
    }

    /// Parses a template from JSON text.
    pub fn from_json(text: &str) -> Result<Template, TemplateError> {
        let value: Value = serde_json::from_str(text).map_err(|e| TemplateError {
            path: String::new(),
            error: ParseError {
                source_text: String::new(),
                message: format!("not JSON: {e}"),
            },
        })?;
        Template::parse(&value)
    }

    /// Expands the template with `data` as `$root`.
    pub fn expand(&self, data: &Value) -> Result<Value, ExpandError> {
        let scope = Scope {
            data,
            root: data,
            index: None,
        };
        Ok(match expand(&self.root, &scope, "")? {
            Expanded::One(v) => v,
            Expanded::Many(items) => Value::Array(items),
            Expanded::Dropped => Value::Null,
        })
    }
}

fn eval_at(e: &Expr, scope: &Scope<'_>, path: &str) -> Result<Option<Value>, ExpandError> {
    e.eval(scope).map_err(|error| ExpandError {
        path: path.to_owned(),
        error,
    })
}

fn expand(node: &Node, scope: &Scope<'_>, path: &str) -> Result<Expanded, ExpandError> {
    Ok(Expanded::One(match node {
        Node::Const(v) => v.clone(),
        Node::Whole(e, original) => {
            eval_at(e, scope, path)?.unwrap_or_else(|| Value::String(original.clone()))
        }
        Node::Text(parts) => {
            let mut out = String::new();
            for part in parts {
                match part {
                    Part::Text(t) => out.push_str(t),
                    Part::Expr(e, original) => match eval_at(e, scope, path)? {
                        None => out.push_str(original),
                        Some(Value::Null) => {
                            return Err(ExpandError {
                                path: path.to_owned(),
                                error: EvalError(format!("{original} is null inside a string")),
                            });
                        }
                        Some(v) => out.push_str(&expr::js_string(Some(&v)).unwrap_or_default()),
                    },
                }
            }
            Value::String(out)
        }
        Node::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (p, item) in items {
                match expand(item, scope, p)? {
                    Expanded::One(v) => out.push(v),
                    Expanded::Many(vs) => out.extend(vs),
                    Expanded::Dropped => {}
                }
            }
            Value::Array(out)
        }
        Node::Object { data, when, fields } => {
            let Some(data) = data else {
                return object(when.as_deref(), fields, scope, path);
            };
            let bound = match expand(data, scope, path)? {
                Expanded::One(v) => v,
                Expanded::Many(vs) => Value::Array(vs),
                Expanded::Dropped => Value::Null,
            };
            match &bound {
                Value::Array(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        let inner = Scope {
                            data: item,
                            root: scope.root,
                            index: Some(i),
                        };
                        match object(when.as_deref(), fields, &inner, path)? {
                            Expanded::One(v) => out.push(v),
                            Expanded::Many(vs) => out.extend(vs),
                            Expanded::Dropped => {}
                        }
                    }
                    return Ok(Expanded::Many(out));
                }
                _ => {
                    let inner = Scope {
                        data: &bound,
                        root: scope.root,
                        index: scope.index,
                    };
                    return object(when.as_deref(), fields, &inner, path);
                }
            }
        }
    }))
}

fn object(
    when: Option<&Node>,
    fields: &[(String, String, Node)],
    scope: &Scope<'_>,
    path: &str,
) -> Result<Expanded, ExpandError> {
    if let Some(when) = when {
        let keep = match expand(when, scope, path)? {
            Expanded::One(Value::String(s)) => {
                !s.starts_with("${") && expr::truthy(Some(&Value::String(s)))
            }
            Expanded::One(v) => expr::truthy(Some(&v)),
            _ => false,
        };
        if !keep {
            return Ok(Expanded::Dropped);
        }
    }
    let mut map = Map::with_capacity(fields.len());
    for (key, field_path, node) in fields {
        let value = match expand(node, scope, field_path)? {
            Expanded::One(v) => v,
            Expanded::Many(vs) => Value::Array(vs),
            Expanded::Dropped => Value::Null,
        };
        map.insert(key.clone(), value);
    }
    Ok(Expanded::One(Value::Object(map)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expand(template: Value, data: Value) -> Value {
        Template::parse(&template)
            .expect("parses")
            .expand(&data)
            .expect("expands")
    }

    #[test]
    fn whole_expressions_keep_their_type_and_undefined_stays_as_written() {
        assert_eq!(
            expand(json!({"a": "${x}"}), json!({"x": 5})),
            json!({"a": 5})
        );
        assert_eq!(
            expand(json!({"a": "n=${x}"}), json!({"x": 5})),
            json!({"a": "n=5"})
        );
        assert_eq!(
            expand(json!({"a": "${missing}"}), json!({})),
            json!({"a": "${missing}"})
        );
        assert_eq!(
            expand(json!({"a": "${x} and ${y}"}), json!({"x": 1})),
            json!({"a": "1 and ${y}"})
        );
        assert_eq!(
            expand(json!({"a": "${obj}"}), json!({"obj": {"k": 1}})),
            json!({"a": {"k": 1}})
        );
    }

    #[test]
    fn data_repeats_and_when_filters() {
        let template = json!({"items": [{"$data": "${rows}", "$when": "${v > 1}", "t": "${name} ${$index} ${$root.n}"}]});
        let data = json!({"n": "N", "rows": [{"name": "a", "v": 1}, {"name": "b", "v": 2}, {"name": "c", "v": 3}]});

        assert_eq!(
            expand(template, data),
            json!({"items": [{"t": "b 1 N"}, {"t": "c 2 N"}]})
        );
        assert_eq!(
            expand(
                json!({"a": {"$when": "${false}", "b": 1}, "c": 2}),
                json!({})
            ),
            json!({"a": null, "c": 2})
        );
        assert_eq!(
            expand(
                json!({"$data": "${inner}", "t": "${x} ${$root.y}"}),
                json!({"inner": {"x": 1}, "y": 2})
            ),
            json!({"t": "1 2"})
        );
    }

    #[test]
    fn braces_inside_quoted_strings_do_not_end_an_expression() {
        assert_eq!(
            expand(json!({"a": "${json('{\"k\":1}').k}"}), json!({})),
            json!({"a": 1})
        );
    }

    #[test]
    fn errors_name_the_place() {
        let e =
            Template::parse(&json!({"body": [{"text": "${nope(1)}"}]})).expect_err("unsupported");
        assert_eq!(e.path, "/body/0/text");
        let t = Template::parse(&json!({"body": [{"text": "x ${n} y"}]})).expect("parses");
        let e = t.expand(&json!({"n": null})).expect_err("null in a string");
        assert_eq!(e.path, "/body/0/text");
    }
}
