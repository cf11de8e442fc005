//! Backup encryption: the STREAM construction (XChaCha20-Poly1305, 64 KiB chunks, a counter and a
//! last-chunk flag in each nonce), under the backup key, which is not a database key (P17).
//! Reordered, altered, dropped or truncated chunks fail to open.
//!
//! File layout: `MAGIC | nonce prefix (19) | chunk ...`, each chunk its ciphertext and tag.

use std::io::{self, Read, Write};

use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, Payload};

use crate::{Rng, SecretKey};

const MAGIC: &[u8] = b"SAFEHARBOR-BACKUP-1\n";
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const NONCE_PREFIX: usize = 19;

fn corrupt() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the backup is damaged or was made with another key",
    )
}

/// Encrypts everything written to it; call `finish` to seal the last chunk.
pub struct BackupWriter<W: Write> {
    inner: W,
    encryptor: EncryptorBE32<XChaCha20Poly1305>,
    buffer: Vec<u8>,
}

impl<W: Write> std::fmt::Debug for BackupWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupWriter")
    }
}

impl<W: Write> BackupWriter<W> {
    pub fn new(mut inner: W, key: &SecretKey, rng: &mut impl Rng) -> io::Result<Self> {
        let mut nonce = [0u8; NONCE_PREFIX];
        rng.fill_bytes(&mut nonce);
        inner.write_all(MAGIC)?;
        inner.write_all(&nonce)?;
        let cipher = XChaCha20Poly1305::new(key.expose().into());
        let encryptor = EncryptorBE32::from_aead(cipher, (&nonce).into());
        Ok(Self {
            inner,
            encryptor,
            buffer: Vec::with_capacity(CHUNK + 1),
        })
    }

    /// Seals the final chunk and returns the underlying writer, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        let last = self
            .encryptor
            .encrypt_last(Payload {
                msg: &self.buffer,
                aad: MAGIC,
            })
            .map_err(|_| corrupt())?;
        self.inner.write_all(&last)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for BackupWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        // Keep at least one byte back, so the last chunk is never empty of meaning: a reader
        // knows a chunk is last because the stream ends within it.
        while self.buffer.len() > CHUNK {
            let sealed = self
                .encryptor
                .encrypt_next(Payload {
                    msg: &self.buffer[..CHUNK],
                    aad: MAGIC,
                })
                .map_err(|_| corrupt())?;
            self.inner.write_all(&sealed)?;
            self.buffer.drain(..CHUNK);
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Decrypts a backup as it is read; any tampering or truncation is an `InvalidData` error.
pub struct BackupReader<R: Read> {
    inner: R,
    decryptor: Option<DecryptorBE32<XChaCha20Poly1305>>,
    pending: Vec<u8>,
    plain: Vec<u8>,
    plain_pos: usize,
}

impl<R: Read> std::fmt::Debug for BackupReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupReader")
    }
}

impl<R: Read> BackupReader<R> {
    pub fn new(mut inner: R, key: &SecretKey) -> io::Result<Self> {
        let mut magic = [0u8; MAGIC.len()];
        inner.read_exact(&mut magic).map_err(|_| corrupt())?;
        if magic != MAGIC {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "this is not a Safe Harbor backup",
            ));
        }
        let mut nonce = [0u8; NONCE_PREFIX];
        inner.read_exact(&mut nonce).map_err(|_| corrupt())?;
        let cipher = XChaCha20Poly1305::new(key.expose().into());
        let decryptor = Some(DecryptorBE32::from_aead(cipher, (&nonce).into()));
        Ok(Self {
            inner,
            decryptor,
            pending: Vec::new(),
            plain: Vec::new(),
            plain_pos: 0,
        })
    }

    /// Decrypts the next chunk into `plain`; false at the end of the stream.
    fn next_chunk(&mut self) -> io::Result<bool> {
        if self.decryptor.is_none() {
            return Ok(false);
        }
        let want = CHUNK + TAG + 1;
        let mut eof = false;
        while self.pending.len() < want {
            let mut buf = [0u8; 16 * 1024];
            let n = self.inner.read(&mut buf)?;
            if n == 0 {
                eof = true;
                break;
            }
            self.pending.extend_from_slice(&buf[..n]);
        }
        self.plain_pos = 0;
        if eof {
            let decryptor = self.decryptor.take().ok_or_else(corrupt)?;
            self.plain = decryptor
                .decrypt_last(Payload {
                    msg: &self.pending,
                    aad: MAGIC,
                })
                .map_err(|_| corrupt())?;
            self.pending.clear();
        } else {
            let decryptor = self.decryptor.as_mut().ok_or_else(corrupt)?;
            self.plain = decryptor
                .decrypt_next(Payload {
                    msg: &self.pending[..CHUNK + TAG],
                    aad: MAGIC,
                })
                .map_err(|_| corrupt())?;
            self.pending.drain(..CHUNK + TAG);
        }
        Ok(true)
    }
}

impl<R: Read> Read for BackupReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.plain_pos == self.plain.len() {
            if !self.next_chunk()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.plain.len() - self.plain_pos);
        out[..n].copy_from_slice(&self.plain[self.plain_pos..self.plain_pos + n]);
        self.plain_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn seal(data: &[u8], key: &SecretKey) -> Vec<u8> {
        let mut w = BackupWriter::new(Vec::new(), key, &mut StdRng::seed_from_u64(1)).unwrap();
        w.write_all(data).unwrap();
        w.finish().unwrap()
    }

    fn open(sealed: &[u8], key: &SecretKey) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        BackupReader::new(sealed, key)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn round_trips_at_chunk_boundaries() {
        let key = SecretKey::from_bytes([3; 32]);
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17] {
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            assert_eq!(open(&seal(&data, &key), &key).unwrap(), data, "len {len}");
        }
    }

    #[test]
    fn tampering_truncation_and_wrong_keys_fail() {
        let key = SecretKey::from_bytes([3; 32]);
        let data = vec![7u8; 2 * CHUNK + 5];
        let sealed = seal(&data, &key);
        assert!(open(&sealed, &SecretKey::from_bytes([4; 32])).is_err());
        let mut flipped = sealed.clone();
        flipped[MAGIC.len() + NONCE_PREFIX + 100] ^= 1;
        assert!(open(&flipped, &key).is_err());
        let header = MAGIC.len() + NONCE_PREFIX;
        for cut in [
            header + CHUNK + TAG,
            header + 2 * (CHUNK + TAG),
            sealed.len() - 1,
        ] {
            assert!(open(&sealed[..cut], &key).is_err(), "cut at {cut}");
        }
        assert!(!sealed.windows(16).any(|w| w == &data[..16]));
    }

    #[test]
    fn chunks_swapped_or_repeated_fail() {
        let key = SecretKey::from_bytes([3; 32]);
        // Three full chunks of different content, then a short last one.
        let data: Vec<u8> = (0..3 * CHUNK + 9).map(|i| (i / CHUNK) as u8).collect();
        let sealed = seal(&data, &key);
        let header = MAGIC.len() + NONCE_PREFIX;
        let chunk =
            |n: usize| &sealed[header + n * (CHUNK + TAG)..header + (n + 1) * (CHUNK + TAG)];
        let rest = &sealed[header + 3 * (CHUNK + TAG)..];
        let stream = |order: [usize; 3]| {
            let mut out = sealed[..header].to_vec();
            for n in order {
                out.extend_from_slice(chunk(n));
            }
            out.extend_from_slice(rest);
            out
        };
        assert_eq!(open(&stream([0, 1, 2]), &key).unwrap(), data, "control");
        for order in [[1, 0, 2], [0, 2, 1], [0, 0, 2], [2, 1, 0]] {
            assert!(
                open(&stream(order), &key).is_err(),
                "chunks in order {order:?}"
            );
        }
    }
}
