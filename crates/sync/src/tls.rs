//! TLS between office and hub: the hub's certificate is pinned at enrollment, as its signing key
//! is, so there is no trust on first use and no certificate authority to trust.
//!
//! The pin is the SHA-256 of the hub's certificate (DER). It reaches the office out of band:
//! the enrollment token the hub's administrator hands over carries its first [`TOKEN_PIN_BYTES`]
//! bytes after the secret, and the offline certificate file (`.qfcert`) carries it whole inside
//! the hub-signed certificate. A connection whose certificate does not match is refused before a
//! byte of the protocol is sent. Plain HTTP is accepted only to a loopback address (tests, a
//! hub on the same machine).

use sha2::{Digest, Sha256};

use crate::error::{Result, SyncError};

/// Hex digits of a token's secret.
pub const SECRET_HEX: usize = 30;
/// Bytes of the certificate's SHA-256 a token carries after its secret (120 bits: no one can
/// make another certificate that matches).
pub const TOKEN_PIN_BYTES: usize = 15;

/// The SHA-256 of a certificate, as pinned.
pub fn certificate_sha256(der: &[u8]) -> [u8; 32] {
    Sha256::digest(der).into()
}

/// An enrollment token as typed, read back into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenParts {
    /// The secret, lower-case hex without separators (what the hub keeps the SHA-256 of).
    pub secret: String,
    /// The first bytes of the hub's certificate SHA-256, when the hub serves HTTPS.
    pub pin: Option<Vec<u8>>,
}

/// Reads a token ignoring case, spaces and dashes: 30 hex digits of secret, optionally followed
/// by 30 of certificate pin.
pub fn split_token(token: &str) -> Result<TokenParts> {
    let plain: String = token.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    let bad = || SyncError::NotReady("登记口令的位数不对，请照管理员给出的口令完整输入（可含短横线）。".into());
    if !plain.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    match plain.len() {
        SECRET_HEX => Ok(TokenParts { secret: plain, pin: None }),
        n if n == SECRET_HEX + 2 * TOKEN_PIN_BYTES => {
            let pin = hex::decode(&plain[SECRET_HEX..]).map_err(|_| bad())?;
            Ok(TokenParts { secret: plain[..SECRET_HEX].to_owned(), pin: Some(pin) })
        }
        _ => Err(bad()),
    }
}

/// The token an administrator hands over: the secret, then (for an HTTPS hub) the start of the
/// certificate's SHA-256, in groups of five for reading aloud and typing.
pub fn join_token(secret_hex: &str, certificate_sha256: Option<&[u8; 32]>) -> String {
    let mut all = secret_hex.to_owned();
    if let Some(pin) = certificate_sha256 {
        all.push_str(&hex::encode(&pin[..TOKEN_PIN_BYTES]));
    }
    all.as_bytes().chunks(5).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// A fingerprint as people compare it: upper-case hex in pairs.
pub fn fingerprint_text(sha256: &[u8]) -> String {
    sha256.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// Whether a hub address is plain HTTP to a loopback address (allowed without TLS).
pub fn is_loopback_http(address: &str) -> bool {
    let Some(rest) = address.strip_prefix("http://") else { return false };
    let host_port = rest.split('/').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(feature = "client")]
pub use client::http_client;

#[cfg(feature = "client")]
mod client {
    use std::sync::Arc;
    use std::time::Duration;

    use rustls::DigitallySignedStruct;
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

    use super::*;

    /// The text a refused certificate is reported with, so the client can say what it means.
    pub(crate) const PIN_MISMATCH: &str = "qingfeng: hub certificate does not match the pinned fingerprint";

    /// Accepts exactly the certificate whose SHA-256 starts with the pin (no names, no CA, no
    /// dates: the pin was handed over by the hub's administrator), and checks the handshake's
    /// signatures with it as usual.
    #[derive(Debug)]
    struct Pinned {
        pin: Vec<u8>,
        provider: Arc<CryptoProvider>,
    }

    impl ServerCertVerifier for Pinned {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> std::result::Result<ServerCertVerified, rustls::Error> {
            if !self.pin.is_empty() && certificate_sha256(end_entity.as_ref()).starts_with(&self.pin) {
                Ok(ServerCertVerified::assertion())
            } else {
                Err(rustls::Error::General(PIN_MISMATCH.into()))
            }
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            self.provider.signature_verification_algorithms.supported_schemes()
        }
    }

    /// An HTTP client for these hub addresses: HTTPS pinned to `pin` (the whole SHA-256 or the
    /// token's first bytes) when one is known, plain HTTP only to loopback addresses.
    pub fn http_client(addresses: &[String], pin: Option<&[u8]>, timeout: Duration) -> Result<reqwest::Client> {
        for a in addresses {
            if a.starts_with("https://") {
                continue;
            }
            if !is_loopback_http(a) {
                return Err(SyncError::NotReady(format!(
                    "省级平台地址 {a} 不是加密连接。请使用管理员给出的 https:// 地址（明文 http 只用于本机测试）。"
                )));
            }
        }
        let mut builder = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).timeout(timeout);
        if let Some(pin) = pin {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
                .with_safe_default_protocol_versions()
                .map_err(|e| SyncError::NotReady(format!("加密连接设置失败：{e}")))?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Pinned { pin: pin.to_vec(), provider }))
                .with_no_client_auth();
            builder = builder.use_preconfigured_tls(config);
        }
        builder.build().map_err(|e| SyncError::Transport(format!("无法建立网络连接设置：{e}")))
    }
}

#[cfg(feature = "client")]
pub(crate) use client::PIN_MISMATCH;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_token_carries_its_secret_and_the_start_of_the_certificate_fingerprint() {
        let secret = "0123456789abcdef0123456789abcd";
        let pin = certificate_sha256(b"certificate");
        let token = join_token(secret, Some(&pin));
        assert_eq!(token.len(), 60 + 11);
        let parts = split_token(&token.to_uppercase().replace('-', " ")).unwrap();
        assert_eq!(parts.secret, secret);
        assert_eq!(parts.pin.as_deref(), Some(&pin[..TOKEN_PIN_BYTES]));
        assert_eq!(split_token(&join_token(secret, None)).unwrap(), TokenParts { secret: secret.into(), pin: None });
        for bad in ["", "12345", &format!("{secret}0"), &format!("{secret}zz")] {
            assert!(split_token(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plain_http_is_only_for_loopback() {
        for ok in ["http://127.0.0.1:8443", "http://localhost:1/", "http://[::1]:80", "http://127.0.0.2"] {
            assert!(is_loopback_http(ok), "{ok}");
        }
        for no in ["http://10.0.0.1:8443", "http://hub.example", "https://127.0.0.1:1", "http://127.0.0.1.evil:1"] {
            assert!(!is_loopback_http(no), "{no}");
        }
    }
}
