//! A small, strict reader and writer for the fixed-shape canonical CBOR frames of this crate.
//!
//! Change sets and envelopes have a fixed layout, and their identifiers and signatures cover
//! their exact bytes, so they are written and read by hand rather than through a general CBOR
//! value tree. The reader accepts only canonical CBOR (RFC 8949 §4.2: shortest heads, definite
//! lengths) of the expected shape, never allocates more than the input it was given, and never
//! recurses, so no input can make it panic, run out of memory or overflow the stack. Because it
//! accepts exactly one encoding of each value, decoding and re-encoding gives back the same bytes.

use crate::error::{Result, SyncError};

const UINT: u8 = 0;
const BYTES: u8 = 2;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;

// The writers are core's: the event hash and these frames must agree on canonical CBOR.
pub(crate) use qingfeng_log::encoding::{bytes, head, text};

/// The number of bytes `head` writes for `n`.
pub(crate) fn head_len(n: u64) -> usize {
    match n {
        0..24 => 1,
        24..=0xff => 2,
        0x100..=0xffff => 3,
        0x1_0000..=0xffff_ffff => 5,
        _ => 9,
    }
}

pub(crate) fn uint(out: &mut Vec<u8>, n: u64) {
    head(out, UINT, n);
}

pub(crate) fn array(out: &mut Vec<u8>, len: usize) {
    head(out, ARRAY, len as u64);
}

/// The encoded length of a text or byte string of `len` bytes.
pub(crate) fn string_len(len: usize) -> usize {
    head_len(len as u64) + len
}

/// Reads canonical CBOR items one after another from a byte slice.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    /// What is being decoded, for error messages ("变更集", "签名信封").
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8], what: &'static str) -> Self {
        Reader { input, pos: 0, what }
    }

    fn error(&self, detail: &str) -> SyncError {
        SyncError::malformed(format!("{}第 {} 字节处{}", self.what, self.pos, detail))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&end| end <= self.input.len());
        let Some(end) = end else {
            return Err(self.error("数据提前结束"));
        };
        let slice = &self.input[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    /// Reads a head of `major` type and returns its argument, refusing longer-than-needed forms.
    fn head(&mut self, major: u8, expected: &str) -> Result<u64> {
        let start = self.pos;
        let first = self.take(1)?[0];
        if first >> 5 != major {
            self.pos = start;
            return Err(self.error(&format!("应为{expected}")));
        }
        let info = first & 0x1f;
        let (n, shortest) = match info {
            0..24 => (u64::from(info), true),
            24 => {
                let n = u64::from(self.take(1)?[0]);
                (n, n >= 24)
            }
            25 => {
                let b = self.take(2)?;
                let n = u64::from(u16::from_be_bytes([b[0], b[1]]));
                (n, n > u64::from(u8::MAX))
            }
            26 => {
                let b = self.take(4)?;
                let n = u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                (n, n > u64::from(u16::MAX))
            }
            27 => {
                let b = self.take(8)?;
                let n = u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                (n, n > u64::from(u32::MAX))
            }
            _ => {
                self.pos = start;
                return Err(self.error("出现不定长或保留的编码"));
            }
        };
        if !shortest {
            self.pos = start;
            return Err(self.error("的长度编码不是最短形式"));
        }
        Ok(n)
    }

    pub(crate) fn uint(&mut self) -> Result<u64> {
        self.head(UINT, "非负整数")
    }

    /// Reads an array head and returns its length, refusing more than `max` elements.
    pub(crate) fn array(&mut self, max: usize) -> Result<usize> {
        let n = self.head(ARRAY, "数组")?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= max)
            .ok_or_else(|| self.error(&format!("的数组有 {n} 项，超过上限 {max}")))
    }

    /// Reads an array head that must have exactly `len` elements.
    pub(crate) fn array_of(&mut self, len: usize) -> Result<()> {
        let n = self.head(ARRAY, "数组")?;
        if n != len as u64 {
            return Err(self.error(&format!("的数组应有 {len} 项，实际 {n} 项")));
        }
        Ok(())
    }

    fn string(&mut self, major: u8, expected: &str, max: usize) -> Result<&'a [u8]> {
        let n = self.head(major, expected)?;
        // Checked against the remaining input before anything is sliced or allocated, so a head
        // that claims four gigabytes costs nothing.
        match usize::try_from(n) {
            Ok(n) if n <= max => self.take(n),
            _ => Err(self.error(&format!("的{expected}长 {n} 字节，超过上限 {max}"))),
        }
    }

    pub(crate) fn bytes(&mut self, max: usize) -> Result<&'a [u8]> {
        self.string(BYTES, "字节串", max)
    }

    pub(crate) fn bytes32(&mut self) -> Result<[u8; 32]> {
        let b = self.bytes(32)?;
        b.try_into().map_err(|_| self.error(&format!("的哈希长 {} 字节，应为 32 字节", b.len())))
    }

    pub(crate) fn text(&mut self, max: usize) -> Result<&'a str> {
        let b = self.string(TEXT, "文本", max)?;
        std::str::from_utf8(b).map_err(|_| self.error("的文本不是有效的 UTF-8"))
    }

    /// Fails unless every byte has been read: trailing bytes would be unsigned or unhashed.
    pub(crate) fn finish(&self) -> Result<()> {
        if self.pos != self.input.len() {
            return Err(self.error("之后还有多余的数据"));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn heads_match_ciborium_and_read_back() {
        for n in [0u64, 1, 23, 24, 255, 256, 65535, 65536, u32::MAX as u64, u32::MAX as u64 + 1, u64::MAX] {
            let mut ours = Vec::new();
            uint(&mut ours, n);
            let mut theirs = Vec::new();
            ciborium::into_writer(&n, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{n}");
            assert_eq!(head_len(n), ours.len());
            let mut r = Reader::new(&ours, "测试");
            assert_eq!(r.uint().unwrap(), n);
            r.finish().unwrap();
        }
    }

    #[test]
    fn non_shortest_heads_are_refused() {
        for bytes in
            [&[0x18u8, 0x05][..], &[0x19, 0x00, 0x10], &[0x1a, 0, 0, 0xff, 0xff], &[0x1b, 0, 0, 0, 0, 0, 0, 0, 1]]
        {
            assert!(Reader::new(bytes, "测试").uint().is_err(), "{bytes:?}");
        }
    }

    #[test]
    fn indefinite_lengths_and_huge_claims_are_refused() {
        assert!(Reader::new(&[0x9f, 0xff], "测试").array(10).is_err());
        assert!(Reader::new(&[0x5f, 0xff], "测试").bytes(10).is_err());
        let huge = [0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        assert!(Reader::new(&huge, "测试").bytes(usize::MAX).is_err());
        assert!(Reader::new(&[0x62, b'a'], "测试").text(10).is_err());
        assert!(Reader::new(&[0x62, 0xff, 0xfe], "测试").text(10).is_err());
    }
}
