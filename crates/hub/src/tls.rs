//! The hub's TLS: the certificate and key it serves HTTPS with, given by the province's operations
//! team (PEM files) or made by `qingfeng-hub tls generate`. Offices pin the certificate's SHA-256
//! at enrollment (`qingfeng_sync::tls`), so a self-signed certificate is as good as one from a
//! certificate authority, and better than trusting every authority a machine knows.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::{HubError, Result};

/// What `serve` needs: the server configuration and the certificate's SHA-256.
#[derive(Debug, Clone)]
pub struct TlsIdentity {
    pub config: Arc<rustls::ServerConfig>,
    pub sha256: [u8; 32],
}

fn bad(path: &Path, detail: impl std::fmt::Display) -> HubError {
    HubError::Invalid(format!("TLS 证书或私钥文件 {} 无法使用：{detail}", path.display()))
}

/// The certificates of a PEM file, the hub's own first.
fn certificates(cert: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let chain = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad(cert, e))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| bad(cert, e))?;
    if chain.is_empty() {
        return Err(bad(cert, "文件中没有 PEM 格式的证书（BEGIN CERTIFICATE）"));
    }
    Ok(chain)
}

/// The SHA-256 of the hub's certificate in a PEM file (what offices pin).
pub fn certificate_sha256(cert: &Path) -> Result<[u8; 32]> {
    Ok(qingfeng_sync::tls::certificate_sha256(certificates(cert)?[0].as_ref()))
}

/// Loads the certificate (with its chain) and private key the hub serves HTTPS with.
pub fn load(cert: &Path, key: &Path) -> Result<TlsIdentity> {
    let chain = certificates(cert)?;
    let sha256 = qingfeng_sync::tls::certificate_sha256(chain[0].as_ref());
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| bad(key, e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HubError::Internal(format!("TLS 设置失败：{e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| bad(key, format!("证书与私钥不配套或格式不支持（{e}）")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsIdentity { config: Arc::new(config), sha256 })
}

/// Makes a self-signed certificate for `names` (host names or IP addresses the offices use) and
/// its key; refuses to overwrite either. The key file is created mode 0600.
pub fn generate(cert: &Path, key: &Path, names: &[String]) -> Result<[u8; 32]> {
    for path in [cert, key] {
        if path.exists() {
            return Err(HubError::AlreadyInitialized { path: path.to_owned() });
        }
    }
    if names.is_empty() {
        return Err(HubError::Invalid("请用 --name 给出各机关访问本中心所用的主机名或 IP 地址（可多次给出）。".into()));
    }
    let made = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| HubError::Invalid(format!("无法生成证书（{e}）。主机名或 IP 地址是否有误？")))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(key).map_err(|e| HubError::io(key, e))?;
    file.write_all(made.signing_key.serialize_pem().as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| HubError::io(key, e))?;
    std::fs::write(cert, made.cert.pem()).map_err(|e| HubError::io(cert, e))?;
    Ok(qingfeng_sync::tls::certificate_sha256(made.cert.der()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_certificate_loads_and_its_fingerprint_is_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = (dir.path().join("hub.crt"), dir.path().join("hub.pem"));
        let sha = generate(&cert, &key, &["127.0.0.1".into(), "hub.example".into()]).unwrap();
        assert_eq!(certificate_sha256(&cert).unwrap(), sha);
        assert_eq!(load(&cert, &key).unwrap().sha256, sha);
        assert!(generate(&cert, &key, &["x".into()]).is_err(), "never overwritten");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // A key that is not the certificate's is refused with the file named.
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        generate(&other.join("c"), &other.join("k"), &["x".into()]).unwrap();
        let e = load(&cert, &other.join("k")).unwrap_err().to_string();
        assert!(e.contains("不配套"), "{e}");
        let e = load(&dir.path().join("missing.crt"), &key).unwrap_err().to_string();
        assert!(e.contains("missing.crt"), "{e}");
    }
}
