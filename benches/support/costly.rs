//! Inputs that once cost far more than their size (80,000 keys took 21 s, 100,000 nested `[`
//! 61 s): each is read in time in proportion to its length, or refused at once at the place
//! a limit is passed. Each is given at three sizes, so that the table shows how time grows.

use std::fmt::Write as _;

/// One costly input: the file of a valid site it replaces, at a size `n`.
pub struct Costly {
    /// What it is, with `{n}` for its size.
    pub name: &'static str,
    /// The file of the site it is written to.
    pub file: &'static str,
    /// Its sizes, smallest first: each twice the one before.
    pub sizes: [usize; 3],
    /// Whether the site is refused (else it builds).
    pub refused: bool,
    /// Its content at size `n`.
    pub make: fn(usize) -> String,
}

/// Every costly input.
pub const INPUTS: [Costly; 6] = [
    Costly {
        name: "{n} interface strings",
        file: "content/i18n/en.yaml",
        sizes: [20_000, 40_000, 80_000],
        refused: false,
        make: |n| (0..n).map(|i| format!("key{i}: text {i}\n")).collect(),
    },
    Costly {
        name: "{n} keys, the last given twice",
        file: "content/event.yaml",
        sizes: [20_000, 40_000, 80_000],
        refused: true,
        make: |n| {
            let mut text: String = (0..n).map(|i| format!("key{i}: x\n")).collect();
            text.push_str("key0: again\n");
            text
        },
    },
    Costly {
        name: "{n} nested `[` on one line",
        file: "content/programme.yaml",
        sizes: [25_000, 50_000, 100_000],
        refused: true,
        make: |n| format!("days:\n  - {}", "[".repeat(n)),
    },
    Costly {
        name: "{n} nested `[`, one a line",
        file: "content/programme.yaml",
        sizes: [25_000, 50_000, 100_000],
        refused: true,
        make: |n| format!("days:\n{}", "  [\n".repeat(n)),
    },
    Costly {
        name: "{n} nested lists, one a line",
        file: "content/programme.yaml",
        sizes: [500, 1_000, 2_000],
        refused: true,
        make: |n| {
            let lists: String = (0..n).map(|i| format!("{}-\n", " ".repeat(i))).collect();
            format!("days:\n{lists}")
        },
    },
    Costly {
        name: "aliases {n} levels deep, each of ten (front matter)",
        file: "content/speakers/speaker-00000.en.md",
        sizes: [6, 12, 24],
        refused: true,
        make: |n| {
            let mut text = String::from("---\nname: X\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for i in 1..n {
                let p = i - 1;
                let each = vec![format!("*a{p}"); 10].join(", ");
                let _ = writeln!(text, "a{i}: &a{i} [{each}]");
            }
            text.push_str("---\n");
            text
        },
    },
];
