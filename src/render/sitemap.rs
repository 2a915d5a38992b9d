//! What the templates `sitemap.xml` (every page in every language, each with its
//! translations as `xhtml:link` hreflang alternates) and `robots.txt` are given.

use tera::Context;

use super::context::{RobotsValues, SitemapPage, SitemapValues, Translation};
use super::routes::{self, PageRef};
use crate::config::Config;
use crate::event::Event;

/// What `sitemap.xml` is given: every page of `pages`, in every language.
pub(crate) fn values(config: &Config, event: &Event, pages: &[PageRef]) -> SitemapValues {
    let base = &config.base_url;
    SitemapValues {
        base_url: base.to_string(),
        pages: pages
            .iter()
            .map(|page| SitemapPage {
                translations: config
                    .languages
                    .iter()
                    .map(|l| Translation {
                        lang: l.code.clone(),
                        url: format!("{base}{}", page.dir(event, &l.code)),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The context of `robots.txt`.
pub(crate) fn robots_context(config: &Config) -> Context {
    let values = RobotsValues {
        base_url: config.base_url.to_string(),
        sitemap: format!("{}{}", config.base_url, routes::SITEMAP),
    };
    Context::from_serialize(values).unwrap_or_default()
}
