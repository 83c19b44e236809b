//! The hub's HTTP API (axum) and an in-process server for tests and the `serve` command.
//!
//! Every route but `/health` and `/metrics` speaks CBOR. Storage work runs on tokio's blocking
//! pool so that a large change set never stalls the threads that accept connections. Errors are
//! JSON `{"error": "<中文说明>"}` with a 4xx/5xx status.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use tokio::task::JoinHandle;

use crate::error::{HubError, Result};
use crate::hub::{FeedRequest, Hub};
use crate::storage::{Device, HubStorage};

/// The largest request body: a change set is at most 8 MiB; room for its frame and headroom.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The header that carries a device's signed `AuthRequest`, base64.
pub const AUTH_HEADER: &str = "x-qingfeng-auth";

const CBOR: &str = "application/cbor";

/// The hub's routes over `hub`.
pub fn router<S: HubStorage>(hub: Arc<Hub<S>>) -> Router {
    router_with(hub, Timeouts::default())
}

/// The hub's routes over `hub`, waiting on clients as `timeouts` says.
pub fn router_with<S: HubStorage>(hub: Arc<Hub<S>>, timeouts: Timeouts) -> Router {
    Router::new()
        .route("/health", get(health::<S>))
        .route("/metrics", get(metrics::<S>))
        .route("/v1/hub-key", get(hub_key::<S>))
        .route("/v1/enroll", post(enroll::<S>))
        .route("/v1/status", post(status::<S>))
        .route("/v1/changesets", post(changesets::<S>))
        .route("/v1/feed", post(feed::<S>))
        .route("/v1/blobs/status", post(blob_status::<S>))
        .route("/v1/blobs/put", post(blob_put::<S>))
        .route("/v1/blobs/get", post(blob_get::<S>))
        .route(qingfeng_sync::restore::OFFICE_LOG_PATH, post(office_log::<S>))
        .layer(Extension(timeouts))
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&hub), observe::<S>))
        .with_state(hub)
}

/// Counts every request by route and status with its latency, and logs it: 5xx as a warning
/// (the database is away, or a bug), 4xx as information, the rest at debug level.
async fn observe<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let started = std::time::Instant::now();
    let route = request.uri().path().to_owned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    hub.metrics().request(&route, status, elapsed);
    let ms = elapsed.as_secs_f64() * 1000.0;
    match status {
        500.. => tracing::warn!(%method, route, status, ms, "request failed"),
        400..=499 => tracing::info!(%method, route, status, ms, "request refused"),
        _ => tracing::debug!(%method, route, status, ms, "request"),
    }
    response
}

/// An error as the HTTP answer: status and `{"error": "..."}`.
struct ApiError(HubError);

impl From<HubError> for ApiError {
    fn from(e: HubError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({ "error": self.0.to_string() });
        (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"))],
            body.to_string(),
        )
            .into_response()
    }
}

type ApiResult = std::result::Result<Response, ApiError>;

fn cbor(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static(CBOR))], bytes).into_response()
}

/// Runs blocking hub work on tokio's blocking pool.
async fn blocking<S: HubStorage, T: Send + 'static>(
    hub: &Arc<Hub<S>>,
    f: impl FnOnce(&Hub<S>) -> Result<T> + Send + 'static,
) -> Result<T> {
    let hub = Arc::clone(hub);
    tokio::task::spawn_blocking(move || f(&hub))
        .await
        .map_err(|e| HubError::Internal(format!("后台任务异常结束：{e}")))?
}

/// Request bodies the hub holds in memory at once, across all connections, counted twice over
/// (decoding copies a body): a crowd of large uploads waits for room instead of growing the
/// process without bound.
const BODY_BUDGET_BYTES: usize = 48 * 1024 * 1024;
/// How long a request waits for room in that budget before the hub answers 503 (busy).
const BODY_BUDGET_WAIT: Duration = Duration::from_secs(30);
/// How long the hub waits on a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// A connection must send a request's headers within this of opening or of the previous
    /// answer (so idle keep-alive connections are closed too), and a body that sends nothing for
    /// this long is abandoned (408).
    pub stall: Duration,
    /// A whole request body must arrive within this (15 MiB at about 30 KiB/s, a poor county link).
    pub body_total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { stall: Duration::from_secs(30), body_total: Duration::from_secs(600) }
    }
}
/// Most connections served at once; more wait in the kernel's queue.
pub const MAX_CONNECTIONS: usize = 1024;

/// Bodies per route: what the protocol sends there, with room for the frame.
const SMALL_BODY: usize = 64 * 1024;
const CHUNK_BODY: usize = qingfeng_sync::blob::BLOB_CHUNK_BYTES + 64 * 1024;

fn body_budget() -> Arc<Semaphore> {
    static BUDGET: std::sync::OnceLock<Arc<Semaphore>> = std::sync::OnceLock::new();
    BUDGET.get_or_init(|| Arc::new(Semaphore::new(BODY_BUDGET_BYTES / 1024))).clone()
}

/// Reads a request body of at most `limit` bytes: refused from its declared length before a
/// byte is read, and while reading as soon as it passes the limit; abandoned when the client
/// stalls; and counted against the hub's memory budget until the answer is made (the permit).
async fn read_body(
    timeouts: &Timeouts,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> std::result::Result<(Bytes, OwnedSemaphorePermit), ApiError> {
    use http_body_util::BodyExt as _;
    let too_large = || ApiError(HubError::TooLarge(format!("请求超过 {} KiB 的上限，请分批提交。", limit / 1024)));
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        // Refused before a byte is kept. A client that sends the body anyway is read to the end
        // and the bytes dropped (up to a bound, within a few seconds), so it sees this answer
        // instead of a reset connection; nothing is buffered.
        drain(body).await;
        return Err(too_large());
    }
    let reserve = declared.unwrap_or(limit).max(1);
    let kib = ((reserve.saturating_mul(2)) / 1024 + 1).min(BODY_BUDGET_BYTES / 1024) as u32;
    let permit = tokio::time::timeout(BODY_BUDGET_WAIT, body_budget().acquire_many_owned(kib))
        .await
        .map_err(|_| ApiError(HubError::Busy("省级中心正忙于接收其他上传，请稍后重试。".into())))?
        .map_err(|_| ApiError(HubError::Internal("接收预算已关闭".into())))?;
    let deadline = tokio::time::Instant::now() + timeouts.body_total;
    let mut body = body;
    let mut buf: Vec<u8> = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    loop {
        let wait = timeouts.stall.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
        let frame = tokio::time::timeout(wait, body.frame()).await.map_err(|_| {
            ApiError(HubError::Timeout("请求内容长时间没有传完，连接已关闭。请在网络稳定时重试。".into()))
        })?;
        match frame {
            None => break,
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    if buf.len() + data.len() > limit {
                        return Err(too_large());
                    }
                    buf.extend_from_slice(&data);
                }
            }
            Some(Err(e)) => return Err(ApiError(HubError::Invalid(format!("请求内容读取失败：{e}")))),
        }
    }
    Ok((Bytes::from(buf), permit))
}

/// Reads and discards a refused body, at most `DRAIN_BYTES` and for at most `DRAIN_TIME`.
async fn drain(body: Body) {
    use http_body_util::BodyExt as _;
    const DRAIN_BYTES: usize = 64 * 1024 * 1024;
    const DRAIN_TIME: Duration = Duration::from_secs(5);
    let mut body = body;
    let mut seen = 0usize;
    let _ = tokio::time::timeout(DRAIN_TIME, async {
        while let Some(Ok(frame)) = body.frame().await {
            seen += frame.data_ref().map_or(0, |d| d.len());
            if seen > DRAIN_BYTES {
                break;
            }
        }
    })
    .await;
}

fn auth_header(headers: &HeaderMap) -> Option<String> {
    headers.get(AUTH_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn encode_cbor<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|e| HubError::Internal(format!("编码应答失败：{e}")))?;
    Ok(out)
}

async fn health<S: HubStorage>(State(hub): State<Arc<Hub<S>>>) -> ApiResult {
    let counts = blocking(&hub, |hub| hub.counts()).await?;
    let body = serde_json::json!({ "status": "ok", "events": counts.events, "offices": counts.offices });
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"))], body.to_string())
        .into_response())
}

async fn metrics<S: HubStorage>(State(hub): State<Arc<Hub<S>>>) -> ApiResult {
    let text = blocking(&hub, |hub| {
        Ok(hub.metrics().render(&hub.counts()?, hub.storage().pool_status(), hub.storage().group_stats()))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"))], text)
        .into_response())
}

async fn hub_key<S: HubStorage>(State(hub): State<Arc<Hub<S>>>) -> ApiResult {
    Ok(cbor(encode_cbor(hub.public_key())?))
}

async fn enroll<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    Extension(timeouts): Extension<Timeouts>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    let (body, _budget) = read_body(&timeouts, &headers, body, SMALL_BODY).await?;
    let issued = blocking(&hub, move |hub| {
        let request =
            qingfeng_sync::Signed::decode(&body).map_err(|e| HubError::Invalid(format!("登记申请无法解读：{e}")))?;
        hub.enroll(&request)?.encode().map_err(HubError::from)
    })
    .await?;
    Ok(cbor(issued))
}

/// Reads the body, authenticates the device that signed the request for `path`, and answers with
/// what `f` makes of it, run off the async threads.
async fn as_device<S: HubStorage>(
    hub: Arc<Hub<S>>,
    timeouts: &Timeouts,
    headers: &HeaderMap,
    body: Body,
    path: &'static str,
    limit: usize,
    f: impl FnOnce(&Hub<S>, Device, Bytes) -> Result<Vec<u8>> + Send + 'static,
) -> ApiResult {
    let (body, _budget) = read_body(timeouts, headers, body, limit).await?;
    let auth = auth_header(headers);
    let answer = blocking(&hub, move |hub| {
        let device = hub.authenticate(auth.as_deref(), path, &body)?;
        f(hub, device, body)
    })
    .await?;
    Ok(cbor(answer))
}

async fn status<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    Extension(timeouts): Extension<Timeouts>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    as_device(hub, &timeouts, &headers, body, "/v1/status", SMALL_BODY, |hub, device, _| {
        encode_cbor(&hub.status(&device)?)
    })
    .await
}

async fn changesets<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    Extension(timeouts): Extension<Timeouts>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    let (body, _budget) = read_body(&timeouts, &headers, body, MAX_BODY_BYTES).await?;
    let auth = auth_header(&headers);
    let answer = blocking(&hub, move |hub| {
        // The change set is signed by its device, so the header adds nothing it must have; when a
        // client sends one it is still checked, so a forged header is never silently ignored.
        if auth.is_some() {
            hub.authenticate(auth.as_deref(), "/v1/changesets", &body)?;
        }
        hub.accept_changeset(&body)
    })
    .await?;
    Ok(cbor(answer.signed))
}

async fn feed<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    Extension(timeouts): Extension<Timeouts>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    as_device(hub, &timeouts, &headers, body, "/v1/feed", SMALL_BODY, |hub, device, body| {
        let request: FeedRequest = ciborium::from_reader(body.as_ref())
            .map_err(|e| HubError::Invalid(format!("订阅请求无法解读（应为 {{after, limit}}）：{e}")))?;
        Ok(hub.feed(&device, request.after, request.limit)?.encode())
    })
    .await
}

async fn office_log<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    Extension(timeouts): Extension<Timeouts>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    as_device(
        hub,
        &timeouts,
        &headers,
        body,
        qingfeng_sync::restore::OFFICE_LOG_PATH,
        SMALL_BODY,
        |hub, device, body| {
            let request: qingfeng_sync::restore::OfficeLogRequest = decode_request(&body, "恢复请求")?;
            Ok(hub.office_log(&device, &request)?.encode())
        },
    )
    .await
}

fn decode_request<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    ciborium::from_reader(body).map_err(|e| HubError::Invalid(format!("{what}无法解读：{e}")))
}

async fn blob_status<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    Extension(timeouts): Extension<Timeouts>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    as_device(hub, &timeouts, &headers, body, "/v1/blobs/status", SMALL_BODY, |hub, device, body| {
        let query: qingfeng_sync::blob::BlobQuery = decode_request(&body, "文件查询")?;
        encode_cbor(&qingfeng_sync::blob::BlobStatusReply { blobs: hub.blob_status(&device, &query.blobs)? })
    })
    .await
}

async fn blob_put<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    Extension(timeouts): Extension<Timeouts>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    as_device(hub, &timeouts, &headers, body, "/v1/blobs/put", CHUNK_BODY, |hub, device, body| {
        let put: qingfeng_sync::blob::BlobPut = decode_request(&body, "文件块")?;
        encode_cbor(&hub.put_blob(&device, &put)?)
    })
    .await
}

async fn blob_get<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    Extension(timeouts): Extension<Timeouts>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    as_device(hub, &timeouts, &headers, body, "/v1/blobs/get", SMALL_BODY, |hub, device, body| {
        let get: qingfeng_sync::blob::BlobGet = decode_request(&body, "文件块请求")?;
        encode_cbor(&hub.get_blob(&device, &get)?)
    })
    .await
}

/// A hub server running on the current tokio runtime.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    /// `https` when it serves TLS.
    scheme: &'static str,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// The address it listens on (the real port when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, or `https://<addr>` when it serves TLS.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits for the server to end.
    pub async fn shutdown(mut self) -> Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.join().await
    }

    /// Waits until the server ends by itself (its shutdown signal fired).
    pub async fn join(self) -> Result<()> {
        self.task
            .await
            .map_err(|e| HubError::Internal(format!("服务任务异常结束：{e}")))?
            .map_err(|e| HubError::Internal(format!("服务出错：{e}")))
    }
}

/// Binds `listen` and serves `hub` until [`Server::shutdown`].
pub async fn serve<S: HubStorage>(hub: Arc<Hub<S>>, listen: SocketAddr) -> Result<Server> {
    let (tx, rx) = oneshot::channel::<()>();
    let mut server = serve_until(hub, listen, async {
        let _ = rx.await;
    })
    .await?;
    server.shutdown = Some(tx);
    Ok(server)
}

/// Binds `listen` and serves `hub` over HTTPS with `tls` until [`Server::shutdown`].
pub async fn serve_tls<S: HubStorage>(
    hub: Arc<Hub<S>>,
    listen: SocketAddr,
    tls: Arc<rustls::ServerConfig>,
) -> Result<Server> {
    let (tx, rx) = oneshot::channel::<()>();
    let mut server = serve_until_with(
        hub,
        listen,
        Some(tls),
        async {
            let _ = rx.await;
        },
        Timeouts::default(),
    )
    .await?;
    server.shutdown = Some(tx);
    Ok(server)
}

/// Binds `listen` and serves `hub` until `signal` completes (the CLI passes SIGTERM / ctrl-c).
pub async fn serve_until<S: HubStorage>(
    hub: Arc<Hub<S>>,
    listen: SocketAddr,
    signal: impl Future<Output = ()> + Send + 'static,
) -> Result<Server> {
    serve_until_with(hub, listen, None, signal, Timeouts::default()).await
}

/// Binds `listen` and serves `hub`, over HTTPS when `tls` is given, waiting on clients as
/// `timeouts` says, until `signal` completes; requests in flight then get up to 30 seconds.
pub async fn serve_until_with<S: HubStorage>(
    hub: Arc<Hub<S>>,
    listen: SocketAddr,
    tls: Option<Arc<rustls::ServerConfig>>,
    signal: impl Future<Output = ()> + Send + 'static,
    timeouts: Timeouts,
) -> Result<Server> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| HubError::Invalid(format!("无法监听 {listen}：{e}。请换一个端口，或确认没有别的程序占用。")))?;
    let addr = listener.local_addr().map_err(|e| HubError::Internal(e.to_string()))?;
    let app = router_with(hub, timeouts);
    let scheme = if tls.is_some() { "https" } else { "http" };
    let tls = tls.map(tokio_rustls::TlsAcceptor::from);
    let task = tokio::spawn(accept_loop(listener, app, tls, signal, timeouts.stall));
    Ok(Server { addr, scheme, shutdown: None, task })
}

/// Accepts connections until `signal`, each served by hyper with a header timeout (which also
/// closes idle keep-alive connections), at most `MAX_CONNECTIONS` at once; then lets the requests
/// in flight finish. Bodies have their own timeouts and limits (`read_body`).
async fn accept_loop(
    listener: TcpListener,
    app: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    signal: impl Future<Output = ()> + Send + 'static,
    header_timeout: Duration,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut signal = std::pin::pin!(signal);
    loop {
        // Wait for a free slot first: beyond the cap, new connections queue in the kernel.
        let slot = tokio::select! {
            () = &mut signal => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(s) => s,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut signal => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A failed accept (too many open files, a reset before accept) must not stop the
                // server; pause briefly so a persistent failure does not spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
        let watcher = graceful.watcher();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => {
                    let _ = watcher.watch(builder.serve_connection(TokioIo::new(stream), service)).await;
                }
                // The handshake runs in the connection's own task, bounded like the headers, so a
                // client that stalls in it holds one slot for a while and never the accept loop.
                Some(acceptor) => {
                    if let Ok(Ok(stream)) = tokio::time::timeout(header_timeout, acceptor.accept(stream)).await {
                        let _ = watcher.watch(builder.serve_connection(TokioIo::new(stream), service)).await;
                    }
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    // Requests in flight finish; connections idle in keep-alive are closed.
    let _ = tokio::time::timeout(Duration::from_secs(30), graceful.shutdown()).await;
    Ok(())
}
