//! Plain text in mixed directions (calendar feeds, where no markup can say which way a
//! phrase goes): every run of the other direction's letters (a Latin name or code inside
//! Arabic text, an Arabic name inside English) is wrapped in U+2068 FIRST STRONG ISOLATE and
//! U+2069 POP DIRECTIONAL ISOLATE (UAX #9), so that a client lays it out as one unit, in its
//! place, whatever direction it takes the paragraph to be.

use unicode_bidi::{bidi_class, BidiClass};

use crate::config::Direction;

const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Whether a character is a strong letter of the direction `of`.
fn strong(c: char, of: Direction) -> bool {
    matches!(
        (bidi_class(c), of),
        (BidiClass::L, Direction::Ltr) | (BidiClass::R | BidiClass::AL, Direction::Rtl)
    )
}

/// Whether a character may end a run of the direction `of`: its letters, and the digits
/// that go with them ("OIC-PESNET 4").
fn ends_run(c: char, of: Direction) -> bool {
    strong(c, of) || matches!(bidi_class(c), BidiClass::EN | BidiClass::AN)
}

/// The bracket that closes `c`, if `c` opens one.
fn closer(c: char) -> Option<char> {
    match c {
        '(' => Some(')'),
        '[' => Some(']'),
        '{' => Some('}'),
        '«' => Some('»'),
        _ => None,
    }
}

fn is_closer(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '»')
}

/// `text` of a language written in `direction`, with every run of the other direction
/// isolated. A run starts at a letter of the other direction and ends at the last of its
/// letters or digits before a letter of the language's; a bracket it opens and closes is
/// part of it, one it does not close ends it, so that both brackets of a pair are always on
/// one side of an isolate. A run with no letter of the language's direction before or after
/// it takes what is there too. Text with no letter of the other direction is returned as
/// it is.
pub(crate) fn isolate(text: &str, direction: Direction) -> String {
    let other = match direction {
        Direction::Ltr => Direction::Rtl,
        Direction::Rtl => Direction::Ltr,
    };
    if !text.chars().any(|c| strong(c, other)) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    let mut first = true;
    while i < chars.len() {
        if !strong(chars[i], other) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: up to the next letter of the language's direction, from the text's start
        // if it is the first and nothing of the language's direction comes before it.
        let mut start = i;
        if first && !chars[..start].iter().any(|&c| strong(c, direction)) {
            out.clear();
            start = 0;
        }
        first = false;
        let mut limit = i;
        while limit < chars.len() && !strong(chars[limit], direction) {
            limit += 1;
        }
        // Its end: its last letter or digit, then the brackets it leaves open if they close
        // right after; cut before a bracket it cannot close or one it did not open.
        let mut open: Vec<(usize, char)> = Vec::new();
        let mut end = start;
        let mut cut = None;
        for (j, &c) in chars.iter().enumerate().take(limit).skip(start) {
            if let Some(close) = closer(c) {
                open.push((j, close));
            } else if is_closer(c) {
                if open.last().is_some_and(|&(_, close)| close == c) {
                    open.pop();
                    end = j + 1;
                } else {
                    cut = Some(j);
                    break;
                }
            } else if ends_run(c, other) {
                end = j + 1;
            }
        }
        if let Some(&(j, _)) = open.first() {
            cut = Some(cut.map_or(j, |c| c.min(j)));
        }
        if let Some(cut) = cut.filter(|&c| c < end) {
            end = (start..cut)
                .rev()
                .find(|&j| ends_run(chars[j], other))
                .map_or(start + 1, |j| j + 1);
        }
        // A run that nothing of the language's direction follows takes the rest of the
        // text (a closing quote, a full stop): a text wholly in the other direction is one
        // isolate.
        if limit == chars.len() && cut.is_none() && open.is_empty() {
            end = chars.len();
        }
        out.push(FSI);
        out.extend(&chars[start..end]);
        out.push(PDI);
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        text.replace(FSI, "⟨").replace(PDI, "⟩")
    }

    #[test]
    fn latin_names_and_codes_are_isolated_in_arabic_text() {
        assert_eq!(
            shown(&isolate("الوكالة الوطنية (ANAPEC)", Direction::Rtl)),
            "الوكالة الوطنية (⟨ANAPEC⟩)"
        );
        assert_eq!(
            shown(&isolate("السيد Varol Dur (İŞKUR)، تركيا", Direction::Rtl)),
            "السيد ⟨Varol Dur (İŞKUR)⟩، تركيا"
        );
        assert_eq!(
            shown(&isolate("اجتماع OIC-PESNET 4 في مراكش", Direction::Rtl)),
            "اجتماع ⟨OIC-PESNET 4⟩ في مراكش"
        );
    }

    #[test]
    fn a_bracket_pair_is_never_split_by_an_isolate() {
        assert_eq!(
            shown(&isolate("Dr. X (Director، الوكالة)", Direction::Rtl)),
            "⟨Dr. X⟩ (⟨Director⟩، الوكالة)"
        );
        assert_eq!(
            shown(&isolate("(وكالة ANAPEC) و Dr Y", Direction::Rtl)),
            "(وكالة ⟨ANAPEC⟩) و ⟨Dr Y⟩"
        );
    }

    #[test]
    fn arabic_in_english_text_is_isolated_and_text_in_one_direction_is_kept() {
        assert_eq!(
            shown(&isolate("Welcome by رشيد مروان, ANAPEC", Direction::Ltr)),
            "Welcome by ⟨رشيد مروان⟩, ANAPEC"
        );
        assert_eq!(isolate("Opening (2024)", Direction::Ltr), "Opening (2024)");
        assert_eq!(
            shown(&isolate("« Salle A », l'annexe \"B\".", Direction::Rtl)),
            "⟨« Salle A », l'annexe \"B\".⟩"
        );
        assert_eq!(
            shown(&isolate("أُلغيت — Table ronde \"B\"", Direction::Rtl)),
            "أُلغيت — ⟨Table ronde \"B\"⟩"
        );
        assert_eq!(isolate("الجلسة ١", Direction::Rtl), "الجلسة ١");
    }
}
