//! The HTTP side of `serve`, on hyper: binds the port, accepts connections (a bounded number
//! at once), refuses a request that names another host than this server's, and answers GET
//! and HEAD with what a [`Site`] makes of the request's path. It knows nothing of builds.
//!
//! One thread runs every connection (tokio's current-thread runtime): answers come from
//! memory or a file, so a connection costs a few kilobytes of buffers rather than a thread,
//! and a client that sends or reads slowly waits without holding anyone else up.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fs::File;
use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, Semaphore};

/// Where `serve` listens.
#[derive(Debug, Clone)]
pub struct Listen {
    /// The address to bind (127.0.0.1 keeps the site on this computer).
    pub bind: IpAddr,
    /// The first port to try; the next free one is taken when it is in use, and 0 lets the
    /// system choose.
    pub port: u16,
}

/// No port could be bound.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {address}: {source}")]
pub struct BindError {
    /// The address and first port tried.
    pub address: SocketAddr,
    /// Why.
    pub source: io::Error,
}

/// How many ports after the asked one are tried when it is taken.
const PORTS_TRIED: u16 = 50;

/// A request head (its line and headers) larger than this is refused with 431: no page needs
/// one, though the cookies other local servers set on `localhost` can take a few kilobytes.
const MAX_HEAD: usize = 16 * 1024;

/// What a connection may buffer of a request; a GET has no body to read.
const MAX_BUFFER: usize = 2 * MAX_HEAD;

/// How long a client may take to send a request's head, and a kept-alive connection may wait
/// for its next request: one that sends a byte a second is let go after this.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once; more wait in the system's queue of [`BACKLOG`] until one
/// ends. A browser opens at most six to a server (each page's event stream is one of them),
/// so this leaves room for several browsers and devices, while a burst of connections costs
/// at most this many connections' buffers.
const MAX_CONNECTIONS: usize = 256;

/// Connections the system holds for the server before it takes them.
const BACKLOG: u32 = 1024;

/// The size of the pieces a file is sent in: a connection holds one at a time.
const FILE_CHUNK: usize = 64 * 1024;

/// A server bound to its port, not yet answering.
pub(super) struct Server {
    runtime: Runtime,
    listener: TcpListener,
    hosts: Hosts,
}

impl Server {
    /// Binds the asked port, or the next free one after it.
    pub(super) fn bind(listen: &Listen) -> Result<Server, BindError> {
        let first = SocketAddr::new(listen.bind, listen.port);
        let failed = |source| BindError {
            address: first,
            source,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(failed)?;
        let last = if listen.port == 0 {
            0
        } else {
            listen.port.saturating_add(PORTS_TRIED)
        };
        let mut in_use = None;
        for port in listen.port..=last {
            match runtime.block_on(listen_on(SocketAddr::new(listen.bind, port))) {
                Ok(listener) => {
                    let port = listener.local_addr().map_err(failed)?.port();
                    return Ok(Server {
                        runtime,
                        listener,
                        hosts: Hosts {
                            bind: listen.bind,
                            port,
                        },
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => in_use = Some(e),
                Err(source) => return Err(failed(source)),
            }
        }
        Err(failed(
            in_use.unwrap_or_else(|| io::ErrorKind::AddrInUse.into()),
        ))
    }

    /// The address bound.
    pub(super) fn address(&self) -> SocketAddr {
        SocketAddr::new(self.hosts.bind, self.hosts.port)
    }

    /// Answers requests with `site` until the process ends.
    pub(super) fn run(self, site: impl Site) -> ! {
        let Server {
            runtime,
            listener,
            hosts,
        } = self;
        let site = Arc::new(site);
        let hosts = Arc::new(hosts);
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        runtime.block_on(async move {
            loop {
                // A connection is taken from the system's queue only once a slot is free.
                let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                    unreachable!("the semaphore is never closed");
                };
                let stream = match listener.accept().await {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // A connection reset before it was taken, or no file descriptor left
                        // for now: it concerns that connection; wait a moment for the second.
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let site = Arc::clone(&site);
                let hosts = Arc::clone(&hosts);
                tokio::spawn(async move {
                    // A browser that goes away mid-answer is no error of the site's.
                    let _ = connection(stream, &*site, &hosts).await;
                    drop(slot);
                });
            }
        })
    }
}

/// A listening socket on `address`, with a queue long enough for a burst.
async fn listen_on(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = match address {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // As the standard library does: a port just left by a stopped server can be bound again
    // at once (on Windows the option would let two servers share a port).
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// Answers the requests of one connection until it closes or stays idle too long.
async fn connection(stream: TcpStream, site: &dyn Site, hosts: &Hosts) -> hyper::Result<()> {
    // The address the client reached this server at: with a wildcard bind, one of this
    // computer's own.
    let local = stream.local_addr().map(|a| a.ip().to_canonical()).ok();
    let service = service_fn(|request: Request<Incoming>| {
        let response = answer(&request, site, hosts, local);
        std::future::ready(Ok::<_, Infallible>(response))
    });
    http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_BUFFER)
        .serve_connection(TokioIo::new(stream), service)
        .await
}

/// The answer to one request.
fn answer(
    request: &Request<Incoming>,
    site: &dyn Site,
    hosts: &Hosts,
    local: Option<IpAddr>,
) -> Response<Body> {
    // RFC 9112 §3.2.2: the authority of an absolute target stands for the Host header.
    let uri = request.uri();
    let host = match uri.scheme().and(uri.authority()) {
        Some(authority) => Some(authority.as_str()),
        None => request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok()),
    };
    let answer = match host {
        None => Answer::status(StatusCode::BAD_REQUEST),
        Some(host) if !hosts.allows(host, local) => hosts.refusal(),
        Some(_) if !matches!(*request.method(), Method::GET | Method::HEAD) => {
            let mut answer = Answer::status(StatusCode::METHOD_NOT_ALLOWED);
            answer.allow = true;
            answer
        }
        Some(_) => site.answer(&Asked {
            path: uri.path(),
            query: uri.query().unwrap_or_default(),
        }),
    };
    // hyper sends no body in answer to HEAD, and keeps the length GET would have.
    answer.into_response()
}

/// The host names a request may give: those of the bound address, with its port. A page of
/// another site that a browser is made to send here under its own name (DNS rebinding: the
/// name made to resolve to 127.0.0.1) gives that name, and is refused; a name here can only
/// be an IP address or `localhost`, whose pages are this server's own.
struct Hosts {
    /// The address bound (a wildcard serves this computer's every address).
    bind: IpAddr,
    /// The port bound.
    port: u16,
}

impl Hosts {
    /// Whether `host` (a Host header, `name:port`) names this server for a connection that
    /// reached it at `local`: `localhost`, `127.0.0.1`, `[::1]`, the bound address, or the
    /// address the connection was made to (when bound to a wildcard, the address of this
    /// computer another device of the network opened).
    fn allows(&self, host: &str, local: Option<IpAddr>) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        // A browser leaves the port out when it is the scheme's own.
        if port.unwrap_or(80) != self.port {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        let ip = ip.to_canonical();
        ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
            || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
            || ip == self.bind.to_canonical()
            || Some(ip) == local
    }

    /// The answer to a request for another host: 421 Misdirected Request (RFC 9110
    /// §15.5.20, "not able to produce a response for this target"), and the addresses that
    /// are.
    fn refusal(&self) -> Answer {
        let text = format!(
            "421 Misdirected Request\nThis is majlis serve: it answers only at \
             http://localhost:{port}/, http://127.0.0.1:{port}/, http://[::1]:{port}/ and \
             the address it was started on, not at another name.\n",
            port = self.port
        );
        Answer::new(
            StatusCode::MISDIRECTED_REQUEST,
            "text/plain; charset=utf-8",
            Body::bytes(text),
        )
    }
}

/// `name:port`, `[v6]:port` or a name alone, split; `None` when malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (name, after) = rest.split_once(']')?;
            (name, after)
        }
        None => match host.split_once(':') {
            Some((name, _)) => (name, &host[name.len()..]),
            None => (host, ""),
        },
    };
    let port = match port {
        "" => None,
        port => {
            let digits = port.strip_prefix(':')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(digits.parse().ok()?)
        }
    };
    (!name.is_empty()).then_some((name, port))
}

/// What a site answers: the path asked for and its query, the method and host being fine.
pub(super) trait Site: Send + Sync + 'static {
    /// The answer to a GET (or HEAD) of `asked`.
    fn answer(&self, asked: &Asked<'_>) -> Answer;
}

/// A request as a [`Site`] sees it.
pub(super) struct Asked<'a> {
    /// The path, as sent (still percent-encoded).
    pub path: &'a str,
    /// The query after `?`, or empty.
    pub query: &'a str,
}

/// A whole answer: status, type and body.
pub(super) struct Answer {
    status: StatusCode,
    content_type: &'static str,
    body: Body,
    location: Option<String>,
    /// Whether to say which methods are allowed (with 405).
    allow: bool,
}

impl Answer {
    /// An answer of `status` with a body of `content_type`.
    pub(super) fn new(status: StatusCode, content_type: &'static str, body: Body) -> Answer {
        Answer {
            status,
            content_type,
            body,
            location: None,
            allow: false,
        }
    }

    /// An answer that is only its status, in words.
    pub(super) fn status(status: StatusCode) -> Answer {
        let text = format!("{status}\n");
        Answer::new(status, "text/plain; charset=utf-8", Body::bytes(text))
    }

    /// A redirect to `location` (a path of this server).
    pub(super) fn redirect(location: String) -> Answer {
        let mut answer = Answer::status(StatusCode::FOUND);
        answer.location = Some(location);
        answer
    }

    fn into_response(self) -> Response<Body> {
        let mut response = Response::new(self.body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        // Every answer is of the build of the moment: a browser must ask again each time.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if self.allow {
            headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        if let Some(location) = self.location.and_then(|l| HeaderValue::try_from(l).ok()) {
            headers.insert(header::LOCATION, location);
        }
        response
    }
}

/// The body of an answer: bytes in memory (shared, not copied, with the output they are
/// in), a file read a piece at a time, or a stream that ends when its sender does.
pub(super) struct Body(Source);

enum Source {
    Pieces(VecDeque<Bytes>),
    File { file: File, left: u64 },
    Stream(mpsc::Receiver<Bytes>),
}

impl Body {
    /// A body of one piece.
    pub(super) fn bytes(bytes: impl Into<Bytes>) -> Body {
        Body::pieces([bytes.into()])
    }

    /// A body of pieces sent one after the other.
    pub(super) fn pieces(pieces: impl IntoIterator<Item = Bytes>) -> Body {
        Body(Source::Pieces(pieces.into_iter().collect()))
    }

    /// The whole of a file, read as it is sent: a large file takes one piece of memory
    /// per connection, not its size.
    pub(super) fn file(file: File) -> io::Result<Body> {
        let left = file.metadata()?.len();
        Ok(Body(Source::File { file, left }))
    }

    /// What `receiver` receives, until its sender is dropped; the sender sees the channel
    /// closed once the client has gone.
    pub(super) fn stream(receiver: mpsc::Receiver<Bytes>) -> Body {
        Body(Source::Stream(receiver))
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match &mut self.get_mut().0 {
            Source::Pieces(pieces) => Poll::Ready(pieces.pop_front().map(|b| Ok(Frame::data(b)))),
            Source::File { left: 0, .. } => Poll::Ready(None),
            Source::File { file, left } => {
                // A read from a file of the output: the system's cache has it, or the disk
                // gives it in less time than the network takes to send it.
                let mut piece = vec![0; FILE_CHUNK.min(*left as usize)];
                let read = match file.read(&mut piece) {
                    Ok(0) => Err(io::ErrorKind::UnexpectedEof.into()),
                    other => other,
                };
                Poll::Ready(Some(read.map(|n| {
                    piece.truncate(n);
                    *left -= n as u64;
                    Frame::data(piece.into())
                })))
            }
            Source::Stream(receiver) => receiver
                .poll_recv(cx)
                .map(|piece| piece.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.0 {
            Source::Pieces(pieces) => pieces.is_empty(),
            Source::File { left, .. } => *left == 0,
            Source::Stream(_) => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.0 {
            Source::Pieces(pieces) => {
                SizeHint::with_exact(pieces.iter().map(|b| b.len() as u64).sum())
            }
            Source::File { left, .. } => SizeHint::with_exact(*left),
            Source::Stream(_) => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(bind: &str, port: u16) -> Hosts {
        Hosts {
            bind: bind.parse().unwrap(),
            port,
        }
    }

    #[test]
    fn only_the_names_of_the_bound_address_are_answered() {
        let loopback = hosts("127.0.0.1", 1111);
        let local = Some("127.0.0.1".parse().unwrap());
        for host in [
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
        ] {
            assert!(loopback.allows(host, local), "{host}");
        }
        for host in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost:2222",
            "localhost",
            "127.0.0.1:1111:1111",
            "127.0.0.2:1111",
            "[::1]",
            "::1:1111",
            "localhost:+1111",
            "localhost:",
            ":1111",
            "[::1:1111",
            "",
        ] {
            assert!(!loopback.allows(host, local), "{host}");
        }
        assert!(hosts("127.0.0.1", 80).allows("localhost", local));
    }

    #[test]
    fn a_wildcard_bind_answers_the_address_a_device_reached_it_at() {
        let any = hosts("0.0.0.0", 1111);
        let lan = Some("192.168.1.20".parse().unwrap());
        assert!(any.allows("192.168.1.20:1111", lan));
        assert!(any.allows("localhost:1111", lan));
        assert!(any.allows("0.0.0.0:1111", lan));
        assert!(!any.allows("192.168.1.21:1111", lan));
        assert!(!any.allows("my-laptop.local:1111", lan));
        let v6 = hosts("::", 1111);
        let mapped = Some("::ffff:10.0.0.5".parse::<IpAddr>().unwrap().to_canonical());
        assert!(v6.allows("10.0.0.5:1111", mapped));
        assert!(v6.allows("[fe80::1]:1111", Some("fe80::1".parse().unwrap())));
    }
}
