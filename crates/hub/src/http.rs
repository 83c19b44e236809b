//! The hub's HTTP API (axum) and an in-process server for tests and the `serve` command.
//!
//! Every route but `/health` and `/metrics` speaks CBOR. Storage work runs on tokio's blocking
//! pool so that a large change set never stalls the threads that accept connections. Errors are
//! JSON `{"error": "<中文说明>"}` with a 4xx/5xx status.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
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
    Router::new()
        .route("/health", get(health::<S>))
        .route("/metrics", get(metrics::<S>))
        .route("/v1/hub-key", get(hub_key::<S>))
        .route("/v1/enroll", post(enroll::<S>))
        .route("/v1/status", post(status::<S>))
        .route("/v1/changesets", post(changesets::<S>))
        .route("/v1/feed", post(feed::<S>))
        .route(qingfeng_sync::restore::OFFICE_LOG_PATH, post(office_log::<S>))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(hub)
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

/// The request body, or a Chinese JSON error when it is over the limit or cut off.
fn read_body(body: std::result::Result<Bytes, BytesRejection>) -> std::result::Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HubError::TooLarge(format!("请求超过 {} MiB 的上限，请分批提交。", MAX_BODY_BYTES / (1024 * 1024)))
        } else {
            HubError::Invalid(format!("请求内容读取失败：{rejection}"))
        }
        .into()
    })
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
    let text = blocking(&hub, |hub| Ok(hub.metrics().render(&hub.counts()?))).await?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"))], text)
        .into_response())
}

async fn hub_key<S: HubStorage>(State(hub): State<Arc<Hub<S>>>) -> ApiResult {
    Ok(cbor(encode_cbor(hub.public_key())?))
}

async fn enroll<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> ApiResult {
    let body = read_body(body)?;
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
    headers: &HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
    path: &'static str,
    f: impl FnOnce(&Hub<S>, Device, Bytes) -> Result<Vec<u8>> + Send + 'static,
) -> ApiResult {
    let body = read_body(body)?;
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
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> ApiResult {
    as_device(hub, &headers, body, "/v1/status", |hub, device, _| encode_cbor(&hub.status(&device)?)).await
}

async fn changesets<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> ApiResult {
    let body = read_body(body)?;
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
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> ApiResult {
    as_device(hub, &headers, body, "/v1/feed", |hub, device, body| {
        let request: FeedRequest = ciborium::from_reader(body.as_ref())
            .map_err(|e| HubError::Invalid(format!("订阅请求无法解读（应为 {{after, limit}}）：{e}")))?;
        Ok(hub.feed(&device, request.after, request.limit)?.encode())
    })
    .await
}

async fn office_log<S: HubStorage>(
    State(hub): State<Arc<Hub<S>>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> ApiResult {
    as_device(hub, &headers, body, qingfeng_sync::restore::OFFICE_LOG_PATH, |hub, device, body| {
        let request: qingfeng_sync::restore::OfficeLogRequest = ciborium::from_reader(body.as_ref())
            .map_err(|e| HubError::Invalid(format!("恢复请求无法解读（应为 {{office_code, after, limit}}）：{e}")))?;
        Ok(hub.office_log(&device, &request)?.encode())
    })
    .await
}

/// A hub server running on the current tokio runtime.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// The address it listens on (the real port when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
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

/// Binds `listen` and serves `hub` until `signal` completes (the CLI passes SIGTERM / ctrl-c).
pub async fn serve_until<S: HubStorage>(
    hub: Arc<Hub<S>>,
    listen: SocketAddr,
    signal: impl Future<Output = ()> + Send + 'static,
) -> Result<Server> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| HubError::Invalid(format!("无法监听 {listen}：{e}。请换一个端口，或确认没有别的程序占用。")))?;
    let addr = listener.local_addr().map_err(|e| HubError::Internal(e.to_string()))?;
    let app = router(hub);
    let task = tokio::spawn(async move { axum::serve(listener, app).with_graceful_shutdown(signal).await });
    Ok(Server { addr, shutdown: None, task })
}
