//! Sealed files: a whole file (a bundle on a USB stick) encrypted to its recipients in chunks, so
//! that a file of any size is written and read without holding it in memory.
//!
//! Layout (lengths are unsigned 32-bit big-endian):
//!
//! ```text
//! "QFSEALD1"
//! len  header   canonical CBOR map {v: 1, purpose, suite, recipients: [{office, key_id, wrapped}],
//!               nonce_prefix: bstr 7}
//! flag len ct   repeated: flag 0 (more follow) or 1 (the last chunk), the chunk's ciphertext
//! ```
//!
//! Chunks hold at most 64 KiB of plaintext and are encrypted with the suite's AEAD under one
//! content key, wrapped to each recipient as in [`crate::sealed`]. Nonces follow the STREAM
//! construction: `nonce_prefix (7) || chunk counter (4, big-endian) || last flag (1)`, so chunks
//! cannot be reordered, dropped, repeated or cut after, and a file that stops before its last
//! chunk is refused. Every chunk's associated data is SHA-256 of the magic and the header, so the
//! purpose and the recipient list cannot be changed either.

use std::io::{self, Read, Write};

use rand::RngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Result, SealError};
use crate::keys::{SealSecretKey, Suite};
use crate::sealed::{self, Recipient, Wrapped};

/// The first bytes of every sealed file.
pub const MAGIC: &[u8; 8] = b"QFSEALD1";

/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;

const TAG: usize = 16;
const MAX_HEADER: usize = 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    v: u64,
    purpose: String,
    suite: Suite,
    recipients: Vec<Wrapped>,
    #[serde(with = "crate::serde_bytes")]
    nonce_prefix: Vec<u8>,
}

fn nonce(prefix: &[u8], counter: u32, last: bool) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..7].copy_from_slice(prefix);
    n[7..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    n
}

fn invalid(e: SealError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// Whether `start` (the first bytes of a file) begins like a sealed file.
pub fn is_sealed(start: &[u8]) -> bool {
    start.starts_with(MAGIC)
}

/// Writes a sealed file chunk by chunk; [`SealWriter::finish`] writes the last chunk.
pub struct SealWriter<W: Write> {
    out: W,
    suite: Suite,
    key: Zeroizing<Vec<u8>>,
    prefix: Vec<u8>,
    aad: [u8; 32],
    counter: u32,
    buf: Zeroizing<Vec<u8>>,
}

impl<W: Write> std::fmt::Debug for SealWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealWriter").field("suite", &self.suite).field("chunks", &self.counter).finish_non_exhaustive()
    }
}

impl<W: Write> SealWriter<W> {
    /// Starts a sealed file for `purpose` (e.g. `bundle/outbound`) readable by `recipients`, who
    /// must all hold keys of one suite.
    pub fn new(mut out: W, recipients: &[Recipient], purpose: &str) -> Result<Self> {
        let Some(first) = recipients.first() else {
            return Err(SealError::NoRecipient("没有接收方的加密公钥，不能写出加密文件。请先同步或重新登记。".into()));
        };
        let suite = first.key.suite;
        if recipients.iter().any(|r| r.key.suite != suite) {
            return Err(SealError::Key("同一加密文件的接收方须使用同一种加密算法".into()));
        }
        let key = sealed::content_key(suite);
        let mut prefix = vec![0u8; 7];
        OsRng.fill_bytes(&mut prefix);
        let mut wrapped = Vec::with_capacity(recipients.len());
        for r in recipients {
            r.key.validate()?;
            wrapped.push(sealed::wrap(r, &key)?);
        }
        let header =
            Header { v: 1, purpose: purpose.to_owned(), suite, recipients: wrapped, nonce_prefix: prefix.clone() };
        let mut bytes = Vec::new();
        ciborium::into_writer(&header, &mut bytes).map_err(|e| SealError::Malformed(e.to_string()))?;
        let aad: [u8; 32] = Sha256::new().chain_update(MAGIC).chain_update(&bytes).finalize().into();
        out.write_all(MAGIC)?;
        out.write_all(&(bytes.len() as u32).to_be_bytes())?;
        out.write_all(&bytes)?;
        Ok(SealWriter { out, suite, key, prefix, aad, counter: 0, buf: Zeroizing::new(Vec::with_capacity(CHUNK)) })
    }

    fn emit(&mut self, plain: &[u8], last: bool) -> Result<()> {
        let n = nonce(&self.prefix, self.counter, last);
        let ct = sealed::encrypt(self.suite, &self.key, &n, plain, &self.aad)?;
        self.counter =
            self.counter.checked_add(1).ok_or_else(|| SealError::Malformed("加密文件过大（分段数超过上限）".into()))?;
        self.out.write_all(&[u8::from(last)])?;
        self.out.write_all(&(ct.len() as u32).to_be_bytes())?;
        self.out.write_all(&ct)?;
        Ok(())
    }

    /// Writes the last chunk, flushes, and returns the output.
    pub fn finish(mut self) -> Result<W> {
        let rest = std::mem::take(&mut *self.buf);
        self.emit(&rest, true)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // A full chunk is written only once more data arrives, because the last chunk must be
        // marked as such and only `finish` knows which one that is.
        if self.buf.len() == CHUNK && !data.is_empty() {
            let full = std::mem::take(&mut *self.buf);
            self.emit(&full, false).map_err(invalid)?;
            self.buf.reserve(CHUNK);
        }
        let take = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..take]);
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Reads a sealed file chunk by chunk, authenticating each before handing out its bytes.
pub struct OpenReader<R: Read> {
    input: R,
    suite: Suite,
    key: Zeroizing<Vec<u8>>,
    prefix: Vec<u8>,
    aad: [u8; 32],
    counter: u32,
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    done: bool,
    /// The offices the file is sealed to, as its header names them.
    offices: Vec<String>,
}

impl<R: Read> std::fmt::Debug for OpenReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenReader").field("suite", &self.suite).field("offices", &self.offices).finish_non_exhaustive()
    }
}

fn read_exact(input: &mut impl Read, buf: &mut [u8]) -> Result<()> {
    input.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => SealError::Truncated,
        _ => SealError::Io(e),
    })
}

impl<R: Read> OpenReader<R> {
    /// Reads the header, checks that the file is for `purpose`, and unwraps its key with one of
    /// `keys`. A file sealed to other offices only is refused with their codes.
    pub fn new(mut input: R, keys: &[SealSecretKey], purpose: &str) -> Result<Self> {
        let mut magic = [0u8; 8];
        read_exact(&mut input, &mut magic).map_err(|e| match e {
            SealError::Truncated => SealError::NotSealed,
            other => other,
        })?;
        if &magic != MAGIC {
            return Err(SealError::NotSealed);
        }
        let mut len = [0u8; 4];
        read_exact(&mut input, &mut len)?;
        let len = u32::from_be_bytes(len) as usize;
        if len > MAX_HEADER {
            return Err(SealError::Malformed(format!("文件头长度 {len} 超过上限")));
        }
        let mut bytes = vec![0u8; len];
        read_exact(&mut input, &mut bytes)?;
        let header: Header =
            ciborium::from_reader(bytes.as_slice()).map_err(|e| SealError::Malformed(e.to_string()))?;
        if header.v != 1 {
            return Err(SealError::Malformed(format!("不支持的加密文件版本 {}", header.v)));
        }
        if header.purpose != purpose {
            return Err(SealError::WrongPurpose {
                expected: purpose_label(purpose).to_owned(),
                actual: purpose_label(&header.purpose).to_owned(),
            });
        }
        if header.nonce_prefix.len() != 7 {
            return Err(SealError::Malformed("随机数前缀长度不正确".into()));
        }
        let offices: Vec<String> = header.recipients.iter().map(|w| w.office.clone()).collect();
        let found = header.recipients.iter().find_map(|w| {
            keys.iter().find(|k| k.suite() == header.suite && k.public_key().key_id() == w.key_id).map(|k| (k, w))
        });
        let Some((key, wrapped)) = found else {
            let mut named = offices.clone();
            named.dedup();
            return Err(SealError::NotForUs(format!(
                "这份文件不是加密给本机关的（接收方：{}），本机关无法打开。请确认选择的是发给本机关的文件。",
                named.join("、")
            )));
        };
        let content_key = sealed::unwrap(key, &wrapped.wrapped)?;
        let aad: [u8; 32] = Sha256::new().chain_update(MAGIC).chain_update(&bytes).finalize().into();
        Ok(OpenReader {
            input,
            suite: header.suite,
            key: content_key,
            prefix: header.nonce_prefix,
            aad,
            counter: 0,
            plain: Zeroizing::new(Vec::new()),
            pos: 0,
            done: false,
            offices,
        })
    }

    /// The offices the file is sealed to.
    pub fn offices(&self) -> &[String] {
        &self.offices
    }

    fn next_chunk(&mut self) -> Result<()> {
        let mut flag = [0u8; 1];
        read_exact(&mut self.input, &mut flag)?;
        if flag[0] > 1 {
            return Err(SealError::Tampered);
        }
        let mut len = [0u8; 4];
        read_exact(&mut self.input, &mut len)?;
        let len = u32::from_be_bytes(len) as usize;
        if !(TAG..=CHUNK + TAG).contains(&len) {
            return Err(SealError::Tampered);
        }
        let mut ct = vec![0u8; len];
        read_exact(&mut self.input, &mut ct)?;
        let last = flag[0] == 1;
        let n = nonce(&self.prefix, self.counter, last);
        self.plain = sealed::decrypt(self.suite, &self.key, &n, &ct, &self.aad)?;
        self.pos = 0;
        self.counter = self.counter.checked_add(1).ok_or(SealError::Tampered)?;
        if last {
            self.done = true;
            let mut extra = [0u8; 1];
            loop {
                match self.input.read(&mut extra) {
                    Ok(0) => break,
                    Ok(_) => return Err(SealError::Malformed("加密文件末段之后还有多余的数据".into())),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for OpenReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.plain.len() {
            if self.done {
                return Ok(0);
            }
            self.next_chunk().map_err(|e| match e {
                // A file cut short reads as an early end, which callers report as truncated.
                SealError::Truncated => io::Error::new(io::ErrorKind::UnexpectedEof, SealError::Truncated),
                other => invalid(other),
            })?;
        }
        let n = out.len().min(self.plain.len() - self.pos);
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The Chinese name of a file purpose.
pub fn purpose_label(purpose: &str) -> &str {
    match purpose {
        PURPOSE_OUTBOUND => "机关发往省级中心的同步包",
        PURPOSE_RETURN => "省级中心发给机关的回执包",
        other => other,
    }
}

/// The purpose of an outbound bundle (office → hub).
pub const PURPOSE_OUTBOUND: &str = "bundle/outbound";
/// The purpose of a return bundle (hub → office).
pub const PURPOSE_RETURN: &str = "bundle/return";

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sealed_file(data: &[u8], to: &SealSecretKey, purpose: &str) -> Vec<u8> {
        let mut w =
            SealWriter::new(Vec::new(), &[Recipient { office: "hub".into(), key: to.public_key().clone() }], purpose)
                .unwrap();
        // Odd-sized writes cross chunk boundaries.
        for piece in data.chunks(7001) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap()
    }

    fn read_back(file: &[u8], key: SealSecretKey, purpose: &str) -> Result<Vec<u8>, String> {
        let mut r = OpenReader::new(file, &[key], purpose).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        r.read_to_end(&mut out).map_err(|e| e.to_string())?;
        Ok(out)
    }

    #[test]
    fn files_of_every_size_round_trip_in_both_suites() {
        for suite in Suite::ALL {
            for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
                let data: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
                let key = SealSecretKey::generate(suite);
                let file = sealed_file(&data, &key, PURPOSE_OUTBOUND);
                assert!(is_sealed(&file));
                let again = SealSecretKey::from_bytes(suite, &key.to_bytes()).unwrap();
                assert_eq!(read_back(&file, again, PURPOSE_OUTBOUND).unwrap(), data, "{suite} {size}");
            }
        }
    }

    #[test]
    fn cut_altered_reordered_or_misdirected_files_are_refused() {
        let key = SealSecretKey::generate(Suite::X25519Aes256Gcm);
        let data: Vec<u8> = (0..(2 * CHUNK + 5)).map(|i| i as u8).collect();
        let file = sealed_file(&data, &key, PURPOSE_OUTBOUND);
        let copy = || SealSecretKey::from_bytes(Suite::X25519Aes256Gcm, &key.to_bytes()).unwrap();
        // Cut anywhere after the header: never accepted as whole.
        for cut in [file.len() - 1, file.len() - 20, file.len() / 2, 60] {
            assert!(read_back(&file[..cut], copy(), PURPOSE_OUTBOUND).is_err(), "cut at {cut}");
        }
        // One flipped bit anywhere is refused.
        for i in (8..file.len()).step_by(997) {
            let mut bad = file.clone();
            bad[i] ^= 0x10;
            assert!(read_back(&bad, copy(), PURPOSE_OUTBOUND).is_err(), "byte {i}");
        }
        // Bytes after the last chunk are refused.
        let mut longer = file.clone();
        longer.push(0);
        assert!(read_back(&longer, copy(), PURPOSE_OUTBOUND).is_err());
        // Another office's key, or the wrong kind of file, gets a clear refusal.
        let other = SealSecretKey::generate(Suite::X25519Aes256Gcm);
        let err = read_back(&file, other, PURPOSE_OUTBOUND).unwrap_err();
        assert!(err.contains("不是加密给本机关的") && err.contains("hub"), "{err}");
        let err = read_back(&file, copy(), PURPOSE_RETURN).unwrap_err();
        assert!(err.contains("用途不符"), "{err}");
        assert!(matches!(
            OpenReader::new(&b"QFBUNDL1xxxx"[..], &[copy()], PURPOSE_OUTBOUND),
            Err(SealError::NotSealed)
        ));
    }
}
