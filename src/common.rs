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
    osa(&a, &b)
}

/// [`edit_distance`] when it is at most `k`, else `None`: over any items (bytes of ASCII words, chars, jamo),
/// without allocating for words of up to 63 items, and stopping as soon as no alignment can stay within `k`
/// (every row of the table is at least the one before's least value). For the typo checks run on every word of
/// every message.
pub fn edit_distance_within<T: PartialEq>(a: &[T], b: &[T], k: usize) -> Option<usize> {
    const MAX: usize = 63;
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    if a.len().max(b.len()) > MAX {
        return Some(osa(a, b)).filter(|d| *d <= k);
    }
    // Cells hold at most 63: bytes will do, and keep the rows small.
    let width = b.len() + 1;
    let (mut before, mut previous, mut current) = ([0u8; MAX + 1], [0u8; MAX + 1], [0u8; MAX + 1]);
    for (j, cell) in previous.iter_mut().enumerate().take(width) {
        *cell = j as u8;
    }
    for i in 1..=a.len() {
        current[0] = i as u8;
        let mut least = current[0];
        for j in 1..width {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            least = least.min(best);
        }
        if usize::from(least) > k {
            return None;
        }
        before[..width].copy_from_slice(&previous[..width]);
        previous[..width].copy_from_slice(&current[..width]);
    }
    Some(usize::from(previous[width - 1])).filter(|d| *d <= k)
}

/// The same measure as [`edit_distance`], over any items, allocating (for long words).
fn osa<T: PartialEq>(a: &[T], b: &[T]) -> usize {
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

    #[test]
    fn the_bounded_distance_agrees_with_the_whole_one_within_its_bound() {
        let words = [
            "",
            "a",
            "help",
            "hlep",
            "helo",
            "cost",
            "costt",
            "tabels",
            "tables",
            "airflw",
            "airflow",
            "kitten",
            "sitting",
            "도움말",
            "도움",
            "이번닫",
            "이번달",
            "abcdefghij",
            "badcfehgji",
        ];
        for a in words {
            for b in words {
                let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let d = edit_distance(a, b);
                for k in 0..4 {
                    assert_eq!(
                        edit_distance_within(&ac, &bc, k),
                        (d <= k).then_some(d),
                        "{a} → {b} within {k}"
                    );
                }
            }
        }
        let long: Vec<char> = "x".repeat(80).chars().collect();
        let longer: Vec<char> = "x".repeat(81).chars().collect();
        assert_eq!(edit_distance_within(&long, &longer, 1), Some(1));
    }
}
