//! Text as search matches it: folded so that a word is found however a reader types it, in
//! any language — without case, Latin accents, Arabic diacritics and tatweel, with one alef,
//! taa marbuta as haa, alef maqsura as yaa, the Turkish dotless ı as i, digits of every
//! script as ASCII — then cut into words.
//!
//! The search page's script (themes/default/static/search.js, `majlisFold`) folds the
//! reader's query with the same steps, written again in JavaScript: both are checked against
//! one table of cases, tests/search/fold.json (here in `cargo test`, the script's in
//! .ci/browser/search.mjs). A change here is a change there, and a new case in the table.

use unicode_normalization::UnicodeNormalization;

/// The words of `text`, folded, in order.
pub(super) fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    // Each step below reads a character with at most its neighbours up to a space (the
    // marks a decomposition reorders, a final sigma), so the text folds run by run. A run
    // of ASCII, most of a text in a Latin script, has nothing to decompose, drop or fold:
    // only its case, without the cost of the general steps.
    for run in text.split_ascii_whitespace() {
        if run.is_ascii() {
            let lower = run.to_ascii_lowercase();
            words.extend(
                lower
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|word| !word.is_empty())
                    .map(str::to_string),
            );
        } else {
            words.extend(folded_words(run));
        }
    }
    words
}

/// The words of `text`, folded by the general steps.
fn folded_words(text: &str) -> Vec<String> {
    // Compatibility decomposition first: accents become marks of their own, which are then
    // dropped, and presentation forms (ﻻ, ＯＩＣ) become their letters.
    let decomposed: String = text.nfkd().collect();
    let mut folded = String::with_capacity(decomposed.len());
    for c in decomposed.to_lowercase().chars() {
        if !dropped(c) {
            push_folded(&mut folded, c);
        }
    }
    // Letters (the Unicode property Alphabetic, as the script's \p{Alphabetic}) and numbers
    // make words; everything else separates them.
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `c` is a mark that search ignores: Latin (and other) combining accents, Arabic
/// tashkeel and Quranic marks, the tatweel, Hebrew points.
fn dropped(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{05BF}'
        | '\u{05C1}'..='\u{05C2}'
        | '\u{05C4}'..='\u{05C5}'
        | '\u{05C7}'
        | '\u{0610}'..='\u{061A}'
        | '\u{0640}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}')
}

/// Pushes `c` as search sees it: letters that have no decomposition into a base letter and
/// a mark, but that readers type as one, folded by hand.
fn push_folded(out: &mut String, c: char) {
    let folded = match c {
        'ı' => "i",
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        // Alef wasla; the other alef forms decompose into alef and a hamza or madda.
        'ٱ' => "ا",
        'ة' => "ه",
        'ى' => "ي",
        // The Persian yeh and keheh, which Arabic text typed on a Persian keyboard has.
        'ی' => "ي",
        'ک' => "ك",
        '\u{0660}'..='\u{0669}' => return out.push(digit(c, '\u{0660}')),
        '\u{06F0}'..='\u{06F9}' => return out.push(digit(c, '\u{06F0}')),
        _ => return out.push(c),
    };
    out.push_str(folded);
}

/// The ASCII digit of `c`, a digit of the script whose zero is `zero`.
fn digit(c: char, zero: char) -> char {
    char::from(b'0' + (c as u32 - zero as u32) as u8)
}

#[cfg(test)]
mod tests {
    use super::words;

    /// Every case of the table the search page's script is checked against too.
    #[test]
    fn folds_every_case_of_the_shared_table() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/search/fold.json")).unwrap();
        let cases = table["cases"].as_array().unwrap();
        assert!(cases.len() > 10);
        for case in cases {
            let text = case["text"].as_str().unwrap();
            assert_eq!(
                words(text).join(" "),
                case["folded"].as_str().unwrap(),
                "{}: {text}",
                case["rule"]
            );
        }
    }

    #[test]
    fn a_text_folds_run_by_run_as_it_folds_whole() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/search/fold.json")).unwrap();
        let mut texts: Vec<String> = table["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|case| case["text"].as_str().unwrap().to_string())
            .collect();
        texts.push(
            "ΟΔΟΣ ΟΔΟΣ. Ünïcode\u{00A0}NBSP ﷺ e\u{0301} \u{0301}x Plain-ASCII, text; 42".into(),
        );
        let all = texts.join(" \n\t");
        for text in texts.iter().chain([&all]) {
            assert_eq!(words(text), super::folded_words(text), "{text}");
        }
    }
}
