//! A fault-injecting HTTP/1.1 proxy between an office and the hub, on 127.0.0.1 only.
//!
//! Faults are chosen per request, not per connection, because the client keeps one connection
//! alive for a whole sync run; a per-connection fault would only ever hit `/v1/status`. The proxy
//! reads each request whole (headers and Content-Length body, which is all the client sends), then
//! drops, delays, truncates the answer, resets the connection, or also replays the request to the
//! hub on a second connection. It runs on its own runtime, which the handle shuts down on drop.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward it untouched.
    Pass,
    /// Close the connection without forwarding it.
    Drop,
    /// Wait this long, then forward it.
    Delay(Duration),
    /// Forward it, but pass only this many bytes of the answer, then close.
    Truncate(usize),
    /// Forward half of the request, then reset both connections (RST, not FIN).
    Reset,
    /// Forward it, and also send the same bytes to the hub on a second connection.
    Duplicate,
}

/// How faults are chosen.
#[derive(Debug, Clone)]
pub enum Plan {
    /// The n-th request (counting from 0) gets the n-th fault; later ones pass.
    Script(Vec<Fault>),
    /// Each request is faulty with probability `rate` (a random kind), up to `max_faults` in all,
    /// so that retrying always ends.
    Seeded { seed: u64, rate: f64, max_faults: usize },
}

#[derive(Debug)]
struct Chooser {
    plan: Plan,
    rng: rand::rngs::StdRng,
    faults: usize,
    requests: usize,
}

impl Chooser {
    fn next(&mut self) -> Fault {
        let n = self.requests;
        self.requests += 1;
        match &self.plan {
            Plan::Script(list) => list.get(n).copied().unwrap_or(Fault::Pass),
            Plan::Seeded { rate, max_faults, .. } => {
                if self.faults >= *max_faults || !self.rng.gen_bool(*rate) {
                    return Fault::Pass;
                }
                self.faults += 1;
                match self.rng.gen_range(0..5) {
                    0 => Fault::Drop,
                    1 => Fault::Delay(Duration::from_millis(self.rng.gen_range(50..400))),
                    2 => Fault::Truncate(self.rng.gen_range(0..200)),
                    3 => Fault::Reset,
                    _ => Fault::Duplicate,
                }
            }
        }
    }
}

/// What the proxy saw: each request's path and the fault applied, in order.
pub type Log = Arc<Mutex<Vec<(String, Fault)>>>;

/// A running proxy; dropping it stops it and closes every connection.
#[derive(Debug)]
pub struct Proxy {
    pub url: String,
    log: Log,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Proxy {
    /// Starts a proxy on 127.0.0.1:0 that forwards to `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str, plan: Plan) -> Proxy {
        let upstream: SocketAddr =
            upstream.trim_start_matches("http://").trim_end_matches('/').parse().expect("upstream address");
        assert!(upstream.ip().is_loopback(), "the proxy only forwards to 127.0.0.1");
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("proxy runtime");
        let seed = match &plan {
            Plan::Seeded { seed, .. } => *seed,
            Plan::Script(_) => 0,
        };
        let chooser = Arc::new(Mutex::new(Chooser {
            plan,
            rng: rand::rngs::StdRng::seed_from_u64(seed),
            faults: 0,
            requests: 0,
        }));
        let log: Log = Arc::default();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind the proxy");
        let url = format!("http://{}", listener.local_addr().expect("proxy address"));
        let task_log = log.clone();
        runtime.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let chooser = chooser.clone();
                let log = task_log.clone();
                tokio::spawn(async move {
                    let _ = connection(client, upstream, chooser, log).await;
                });
            }
        });
        Proxy { url, log, runtime: Some(runtime) }
    }

    /// The requests seen so far.
    pub fn log(&self) -> Vec<(String, Fault)> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// How many requests to `path` have been seen.
    pub fn seen(&self, path: &str) -> usize {
        self.log().iter().filter(|(p, _)| p == path).count()
    }

    /// How many faults other than `Pass` were applied.
    pub fn faults(&self) -> usize {
        self.log().iter().filter(|(_, f)| *f != Fault::Pass).count()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// Reads one whole request (headers plus Content-Length body); `None` at a clean end of stream.
async fn read_request<R: AsyncRead + Unpin>(
    stream: &mut R,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<(Vec<u8>, String)>> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let length = head
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            while buf.len() < total {
                let mut chunk = [0u8; 16 * 1024];
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let request: Vec<u8> = buf.drain(..total).collect();
            let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
            return Ok(Some((request, path)));
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Sends `request` to the hub on a connection of its own and reads the answer, to replay it.
async fn replay(upstream: SocketAddr, request: Vec<u8>) {
    if let Ok(mut hub) = TcpStream::connect(upstream).await {
        if hub.write_all(&request).await.is_ok() {
            let mut sink = Vec::new();
            let _ = tokio::time::timeout(Duration::from_secs(5), hub.read_to_end(&mut sink)).await;
        }
    }
}

async fn connection(
    mut client: TcpStream,
    upstream: SocketAddr,
    chooser: Arc<Mutex<Chooser>>,
    log: Log,
) -> std::io::Result<()> {
    let hub = TcpStream::connect(upstream).await?;
    let (mut hub_read, mut hub_write) = hub.into_split();
    // The answer side runs beside the request side; it passes at most `budget` bytes of the
    // answers that follow a truncated request, then closes the client's connection.
    let budget = Arc::new(AtomicUsize::new(usize::MAX));
    let (client_read, client_write) = client.split();
    let mut client_read = client_read;
    let answers = async {
        let mut client_write = client_write;
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = hub_read.read(&mut chunk).await?;
            if n == 0 {
                return Ok::<(), std::io::Error>(());
            }
            let allowed = budget.load(Ordering::SeqCst);
            let take = n.min(allowed);
            client_write.write_all(&chunk[..take]).await?;
            if allowed != usize::MAX {
                budget.store(allowed - take, Ordering::SeqCst);
                if take < n || allowed - take == 0 {
                    return Ok(());
                }
            }
        }
    };
    let requests = async {
        let mut buf = Vec::new();
        loop {
            let Some((request, path)) = read_request(&mut client_read, &mut buf).await? else {
                return Ok::<(), std::io::Error>(());
            };
            let fault = chooser.lock().unwrap_or_else(|p| p.into_inner()).next();
            log.lock().unwrap_or_else(|p| p.into_inner()).push((path, fault));
            match fault {
                Fault::Pass => hub_write.write_all(&request).await?,
                Fault::Drop => return Ok(()),
                Fault::Delay(d) => {
                    tokio::time::sleep(d).await;
                    hub_write.write_all(&request).await?;
                }
                Fault::Truncate(n) => {
                    budget.store(n, Ordering::SeqCst);
                    hub_write.write_all(&request).await?;
                }
                Fault::Reset => {
                    hub_write.write_all(&request[..request.len() / 2]).await?;
                    return Err(std::io::ErrorKind::ConnectionReset.into());
                }
                Fault::Duplicate => {
                    tokio::spawn(replay(upstream, request.clone()));
                    hub_write.write_all(&request).await?;
                }
            }
        }
    };
    let reset = tokio::select! {
        r = answers => r.is_err(),
        r = requests => matches!(r, Err(ref e) if e.kind() == std::io::ErrorKind::ConnectionReset),
    };
    if reset {
        // A zero linger makes closing send RST instead of FIN: the client sees a reset mid-transfer.
        // Tokio deprecates SO_LINGER because a non-zero linger blocks on drop; zero never blocks.
        #[allow(deprecated)]
        let _ = client.set_linger(Some(Duration::ZERO));
    }
    Ok(())
}
