//! Bundles: files that carry change sets, receipts, feed pages and certificates where there is no
//! network (a USB stick between an office and the hub), with one signature over the whole file.
//!
//! Layout (all lengths are unsigned 32-bit big-endian):
//!
//! ```text
//! "QFBUNDL1"
//! len  header      canonical CBOR map {version, kind, office_code, origin_device, created_at_ms, prerequisites,
//!                   feed_cursor}
//! tag len item     repeated; tag 1 change set, 2 receipt, 3 feed page, 4 certificate, 5 blob chunk
//! 0                end of items
//! len  trailer     Signed<Seal> (context "qingfeng/bundle/v1"): SHA-256 of every byte before `len`
//! ```
//!
//! Items are read one at a time, so a bundle of a million events never sits in memory at once.
//! That means an item is handed out before the trailer has been checked: **items read before
//! `BundleReader::finish` returns `Ok` are untrusted**. Each change set, receipt and feed page
//! also carries its own signature, which the caller checks with `open` as usual; the trailer adds
//! that nothing was cut off, removed, reordered or added. Callers that import should stage items
//! and commit only after `finish` succeeds.

use std::fmt;
use std::io::{self, BufReader, BufWriter, Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::changeset::SignedChangeSet;
use crate::crypto::{PublicKey, SecretKey};
use crate::envelope::{self, FeedPage, IssuedCertificate, Receipt, Signed};
use crate::error::{Result, SyncError};

/// The first bytes of every bundle; the last one is the layout version.
pub const MAGIC: &[u8; 8] = b"QFBUNDL1";

/// The version inside the header.
pub const VERSION: u64 = 1;

/// The signature context of a bundle's trailer.
pub const CONTEXT: &str = "qingfeng/bundle/v1";

/// The largest header: prerequisites name one (device, seq, hash) per device, a few thousand at
/// most in a province.
pub const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// The largest item: an envelope of the largest size, with room for its frame.
pub const MAX_ITEM_BYTES: usize = envelope::MAX_ENVELOPE_BYTES + 4096;

const MAX_TRAILER_BYTES: usize = 4096;

const TAG_END: u8 = 0;
const TAG_CHANGESET: u8 = 1;
const TAG_RECEIPT: u8 = 2;
const TAG_FEED_PAGE: u8 = 3;
const TAG_CERTIFICATE: u8 = 4;
const TAG_BLOB_CHUNK: u8 = 5;

/// Which way a bundle travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleKind {
    /// From a device to the hub (change sets), signed by the device.
    Outbound,
    /// From the hub to an office (receipts, feed pages, certificates), signed by the hub.
    Return,
}

/// What a bundle says about itself. Untrusted until `BundleReader::finish` succeeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    /// Always `VERSION` when written by this version.
    pub version: u64,
    pub kind: BundleKind,
    pub office_code: String,
    /// The device that wrote an outbound bundle, or the hub's device for a return bundle.
    pub origin_device: String,
    pub created_at_ms: i64,
    /// What the receiver must already hold for the items to apply: `(device, seq, hash)`.
    pub prerequisites: Vec<Prerequisite>,
    /// In an outbound bundle, how far the office has read its feed: the return bundle carries
    /// only what comes after, so a USB round trip does not grow with the office's history.
    /// Bundles written before this field read as 0 (the whole feed).
    #[serde(default)]
    pub feed_cursor: u64,
    /// In an outbound bundle, blobs the office's events name that it does not hold: the return
    /// bundle carries those the hub holds whole. Absent in older bundles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wants: Vec<crate::blob::BlobId>,
}

impl BundleHeader {
    pub fn new(kind: BundleKind, office_code: &str, origin_device: &str, created_at_ms: i64) -> Self {
        BundleHeader {
            version: VERSION,
            kind,
            office_code: office_code.to_owned(),
            origin_device: origin_device.to_owned(),
            created_at_ms,
            prerequisites: Vec::new(),
            feed_cursor: 0,
            wants: Vec::new(),
        }
    }
}

/// The event `seq` of `device`, whose hash is `hash`. CBOR `[device, seq, hash (bstr 32)]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prerequisite(pub String, pub u64, #[serde(with = "crate::serde_bytes::array32")] pub [u8; 32]);

/// One item of a bundle. Each is decoded only as far as its frame; open it to check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleItem {
    ChangeSet(SignedChangeSet),
    Receipt(Signed<Receipt>),
    FeedPage(Signed<FeedPage>),
    Certificate(IssuedCertificate),
    /// One chunk of an attachment, evidence file or PDF an event in the bundle (or the office's
    /// feed) names; checked against its name when the blob is complete.
    BlobChunk(crate::blob::BlobChunk),
}

impl BundleItem {
    fn encode(&self) -> Result<(u8, Vec<u8>)> {
        Ok(match self {
            BundleItem::ChangeSet(s) => (TAG_CHANGESET, s.encode()),
            BundleItem::Receipt(s) => (TAG_RECEIPT, s.encode()),
            BundleItem::FeedPage(s) => (TAG_FEED_PAGE, s.encode()),
            BundleItem::Certificate(c) => (TAG_CERTIFICATE, c.encode()?),
            BundleItem::BlobChunk(c) => (TAG_BLOB_CHUNK, c.encode()?),
        })
    }

    fn decode(tag: u8, bytes: &[u8]) -> Result<Self> {
        match tag {
            TAG_CHANGESET => SignedChangeSet::decode(bytes).map(BundleItem::ChangeSet),
            TAG_RECEIPT => Signed::decode(bytes).map(BundleItem::Receipt),
            TAG_FEED_PAGE => Signed::decode(bytes).map(BundleItem::FeedPage),
            TAG_CERTIFICATE => IssuedCertificate::decode(bytes).map(BundleItem::Certificate),
            TAG_BLOB_CHUNK => crate::blob::BlobChunk::decode(bytes).map(BundleItem::BlobChunk),
            other => Err(SyncError::malformed(format!("同步包中有未知种类（{other}）的条目，请升级清风"))),
        }
    }
}

/// The trailer's signed content.
#[derive(Debug, Serialize, Deserialize)]
struct Seal {
    #[serde(with = "crate::serde_bytes::array32")]
    sha256: [u8; 32],
}

/// Writes a bundle item by item, hashing as it goes; `finish` signs it.
pub struct BundleWriter<W: Write> {
    out: BufWriter<W>,
    hasher: Sha256,
}

impl<W: Write> fmt::Debug for BundleWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundleWriter").finish_non_exhaustive()
    }
}

impl<W: Write> BundleWriter<W> {
    /// Starts a bundle: writes the magic and the header.
    pub fn new(out: W, header: &BundleHeader) -> Result<Self> {
        if header.version != VERSION {
            return Err(SyncError::UnknownVersion(header.version));
        }
        let header =
            qingfeng_log::encoding::to_canonical_cbor(header).map_err(|e| SyncError::malformed(e.to_string()))?;
        let mut writer = BundleWriter { out: BufWriter::new(out), hasher: Sha256::new() };
        writer.put(MAGIC)?;
        writer.put_len("同步包头", header.len(), MAX_HEADER_BYTES)?;
        writer.put(&header)?;
        Ok(writer)
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.hasher.update(bytes);
        self.out.write_all(bytes)?;
        Ok(())
    }

    fn put_len(&mut self, what: &'static str, len: usize, limit: usize) -> Result<()> {
        if len > limit {
            return Err(SyncError::TooLarge { what, actual: len as u64, limit: limit as u64 });
        }
        // `limit` is far below 4 GiB, so the length fits in 32 bits.
        self.put(&(len as u32).to_be_bytes())
    }

    pub fn write_item(&mut self, item: &BundleItem) -> Result<()> {
        let (tag, bytes) = item.encode()?;
        self.put(&[tag])?;
        self.put_len("同步包条目大小", bytes.len(), MAX_ITEM_BYTES)?;
        self.put(&bytes)
    }

    /// Ends the items, signs everything written with `key`, flushes, and returns the output.
    pub fn finish(mut self, key: &SecretKey) -> Result<W> {
        self.put(&[TAG_END])?;
        let seal = Seal { sha256: self.hasher.finalize_reset().into() };
        let trailer = Signed::sign(CONTEXT, &seal, key)?.encode();
        self.put_len("同步包签名", trailer.len(), MAX_TRAILER_BYTES)?;
        self.out.write_all(&trailer)?;
        self.out.into_inner().map_err(|e| SyncError::Io(e.into_error()))
    }
}

/// Reads a bundle item by item, hashing as it goes; `finish` checks the signature.
pub struct BundleReader<R: Read> {
    input: BufReader<R>,
    hasher: Sha256,
    header: BundleHeader,
    /// Set once the end marker has been read.
    at_end: bool,
    /// Set after an error, so that iteration stops instead of reading from the middle of an item.
    failed: bool,
}

impl<R: Read> fmt::Debug for BundleReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundleReader")
            .field("header", &self.header)
            .field("at_end", &self.at_end)
            .finish_non_exhaustive()
    }
}

impl<R: Read> BundleReader<R> {
    /// Reads the magic and the header.
    pub fn new(input: R) -> Result<Self> {
        let mut input = BufReader::new(input);
        let mut magic = [0u8; 8];
        read_exact(&mut input, &mut magic, "同步包开头的标识")?;
        if magic != *MAGIC {
            if magic[..7] == MAGIC[..7] && magic[7].is_ascii_digit() {
                return Err(SyncError::UnknownVersion(u64::from(magic[7] - b'0')));
            }
            return Err(SyncError::NotABundle);
        }
        let mut hasher = Sha256::new();
        hasher.update(magic);
        let mut reader = BundleReader {
            input,
            hasher,
            header: BundleHeader::new(BundleKind::Outbound, "", "", 0),
            at_end: false,
            failed: false,
        };
        let bytes = reader.take_block("同步包头", MAX_HEADER_BYTES)?;
        let header: BundleHeader = envelope::decode_body(&bytes, "同步包头")?;
        if header.version != VERSION {
            return Err(SyncError::UnknownVersion(header.version));
        }
        reader.header = header;
        Ok(reader)
    }

    /// The header as the file states it: untrusted until `finish` succeeds.
    pub fn header(&self) -> &BundleHeader {
        &self.header
    }

    fn take(&mut self, buf: &mut [u8], what: &'static str) -> Result<()> {
        read_exact(&mut self.input, buf, what)?;
        self.hasher.update(&*buf);
        Ok(())
    }

    /// Reads a length and that many bytes, refusing lengths over `limit`. Memory grows with the
    /// bytes that actually arrive, not with the length the file claims.
    fn take_block(&mut self, what: &'static str, limit: usize) -> Result<Vec<u8>> {
        let len = self.read_len(what, limit)?;
        let bytes = read_block(&mut self.input, len, what)?;
        self.hasher.update(&bytes);
        Ok(bytes)
    }

    fn read_len(&mut self, what: &'static str, limit: usize) -> Result<usize> {
        let mut len = [0u8; 4];
        self.take(&mut len, what)?;
        let len = u32::from_be_bytes(len) as usize;
        if len > limit {
            return Err(SyncError::TooLarge { what, actual: len as u64, limit: limit as u64 });
        }
        Ok(len)
    }

    /// The next item, or `None` after the last. Untrusted until `finish` succeeds.
    pub fn next_item(&mut self) -> Result<Option<BundleItem>> {
        if self.failed {
            return Ok(None);
        }
        let result = self.read_item();
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    fn read_item(&mut self) -> Result<Option<BundleItem>> {
        if self.at_end {
            return Ok(None);
        }
        let mut tag = [0u8; 1];
        self.take(&mut tag, "同步包条目")?;
        if tag[0] == TAG_END {
            self.at_end = true;
            return Ok(None);
        }
        if !(TAG_CHANGESET..=TAG_BLOB_CHUNK).contains(&tag[0]) {
            return Err(SyncError::malformed(format!("同步包中有未知种类（{}）的条目，请升级清风", tag[0])));
        }
        let bytes = self.take_block("同步包条目", MAX_ITEM_BYTES)?;
        BundleItem::decode(tag[0], &bytes).map(Some)
    }

    /// Reads any items not yet read, then checks the trailer: that `key` signed the SHA-256 of
    /// everything before it, and that nothing follows it. Returns the header, now trusted.
    pub fn finish(mut self, key: &PublicKey) -> Result<BundleHeader> {
        if self.failed {
            return Err(SyncError::malformed("同步包在读取条目时已出错，不能完成校验"));
        }
        while self.read_item()?.is_some() {}
        let digest: [u8; 32] = self.hasher.finalize_reset().into();
        let len = self.read_len("同步包末尾的签名", MAX_TRAILER_BYTES)?;
        let trailer = read_block(&mut self.input, len, "同步包末尾的签名")?;
        let mut extra = [0u8; 1];
        if read_some(&mut self.input, &mut extra)? != 0 {
            return Err(SyncError::malformed("同步包签名之后还有多余的数据"));
        }
        let seal: Seal = Signed::<Seal>::decode(&trailer)?.open(CONTEXT, key).map_err(|e| match e {
            SyncError::BadSignature => SyncError::BundleTampered,
            other => other,
        })?;
        if seal.sha256 != digest {
            return Err(SyncError::BundleTampered);
        }
        Ok(self.header)
    }
}

impl<R: Read> Iterator for BundleReader<R> {
    type Item = Result<BundleItem>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_item().transpose()
    }
}

/// A whole bundle, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub header: BundleHeader,
    pub items: Vec<BundleItem>,
}

/// Reads a whole bundle into memory and checks its signature with `key`. For large bundles, or
/// when the key depends on the header, use `BundleReader`.
pub fn read_all<R: Read>(input: R, key: &PublicKey) -> Result<Bundle> {
    let mut reader = BundleReader::new(input)?;
    let mut items = Vec::new();
    while let Some(item) = reader.next_item()? {
        items.push(item);
    }
    let header = reader.finish(key)?;
    Ok(Bundle { header, items })
}

fn read_exact(input: &mut impl Read, buf: &mut [u8], what: &'static str) -> Result<()> {
    input.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => SyncError::Truncated(what),
        _ => SyncError::Io(e),
    })
}

fn read_block(input: &mut impl Read, len: usize, what: &'static str) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len.min(64 * 1024));
    input.take(len as u64).read_to_end(&mut bytes)?;
    if bytes.len() != len {
        return Err(SyncError::Truncated(what));
    }
    Ok(bytes)
}

fn read_some(input: &mut impl Read, buf: &mut [u8]) -> Result<usize> {
    loop {
        match input.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
}
