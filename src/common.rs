//! Small helpers every room uses: how an error's causes are logged, and how close two words are.

/// An error and its causes on one line, outermost first (`a: b: c`): the one way causes reach logs.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    chain_text(std::iter::successors(Some(error), |e| e.source()).map(ToString::to_string))
}

/// An `anyhow` error and its causes on one line, as [`error_chain`].
pub fn anyhow_chain(error: &anyhow::Error) -> String {
    chain_text(error.chain().map(ToString::to_string))
}

/// Messages joined with ": ", each said once: a cause whose text is already there is left out (sqlx, the AWS SDK
/// and `std::io` put their source's message into their own).
pub(crate) fn chain_text(messages: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for message in messages {
        let message = message.trim();
        if message.is_empty() || out.contains(message) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(message);
    }
    out
}

/// Edit distance over chars, counting an adjacent transposition as one edit (optimal string alignment), so
/// `hlep` is one typo away from `help`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// FNV-1a (64 bits) of `bytes`: a stable, fast fingerprint (not a defence against anyone choosing the input).
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The candidate nearest to `word` (ignoring case) when it is a plausible typo of it: one it begins, else one at
/// most a third of its length away (at least one edit allowed).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A word cut short (`row_count` for `row_count_match`) is the candidate it begins.
    if word.chars().count() >= 3
        && let Some(c) = candidates
            .iter()
            .find(|c| c.to_lowercase().starts_with(&word))
    {
        return Some(c);
    }
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_already_said_is_not_said_again() {
        let inner = std::io::Error::other("doberman.db no longer exists");
        let outer = anyhow::Error::new(inner).context("doberman.db no longer exists");
        assert_eq!(anyhow_chain(&outer), "doberman.db no longer exists");
        let e = anyhow::anyhow!("1045 (28000): Access denied for user 'x'")
            .context("error returned from database: 1045 (28000): Access denied for user 'x'")
            .context("Failed to open the database");
        assert_eq!(
            anyhow_chain(&e),
            "Failed to open the database: error returned from database: 1045 (28000): Access denied for user 'x'"
        );
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        let cases = [
            ("help", "help", 0),
            ("hlep", "help", 1),
            ("helo", "help", 1),
            ("", "abc", 3),
            ("도움말", "도움", 1),
            ("kitten", "sitting", 3),
        ];
        for (a, b, d) in cases {
            assert_eq!(edit_distance(a, b), d, "{a} → {b}");
        }
    }
}
