//! `sitemap.xml`, with every translation of a page as an `xhtml:link` hreflang alternate.

use super::markdown::escape;
use super::pages::PageRef;
use crate::config::Config;
use crate::event::Event;

/// The sitemap of every page in every language.
pub fn sitemap(config: &Config, event: &Event, pages: &[PageRef]) -> String {
    let base = &config.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in pages {
        let alternates: String = config
            .languages
            .iter()
            .map(|l| {
                format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape(&l.code),
                    escape(&format!("{base}{}", page.dir(event, &l.code)))
                )
            })
            .chain(std::iter::once(format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                escape(base)
            )))
            .collect();
        for language in &config.languages {
            xml.push_str(&format!(
                "  <url>\n    <loc>{}</loc>\n{alternates}  </url>\n",
                escape(&format!("{base}{}", page.dir(event, &language.code)))
            ));
        }
    }
    xml.push_str("</urlset>\n");
    xml
}
