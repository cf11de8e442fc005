//! Sealing and opening a client's fields under the client's own data key.

use std::collections::HashMap;

use crypto::{DataKey, FieldAad};
use domain::ClientId;
use store::WrappedKey;

use crate::{App, AppError, Result};

/// The only data-key version so far; a client's key is replaced (not versioned) when that comes.
const DEK_VERSION: u32 = 1;

impl App {
    /// Makes a data key for a new client and stores it, wrapped, in the key store.
    pub(crate) async fn new_client_key(&self, client: ClientId) -> Result<DataKey> {
        let (dek, key) = self.make_client_key(client, &self.keyring().current_kek());
        self.key_store().put(client, &key, self.now()).await?;
        Ok(dek)
    }

    /// A fresh data key for a client, and the same key wrapped under `kek` (the current KEK and
    /// its version) for the key store; nothing is stored yet.
    pub(crate) fn make_client_key(
        &self,
        client: ClientId,
        (kek_version, kek): &(u32, crypto::SecretKey),
    ) -> (DataKey, WrappedKey) {
        let dek = DataKey::generate(&mut self.entropy().rng(), DEK_VERSION);
        let wrapped = crypto::wrap_data_key(
            kek,
            *kek_version,
            &client.to_string(),
            &dek,
            &mut self.entropy().rng(),
        );
        let key = WrappedKey {
            dek_version: DEK_VERSION,
            kek_version: *kek_version,
            wrapped,
        };
        (dek, key)
    }

    /// The client's data key, unwrapped; `NotFound` once the client has been erased.
    pub(crate) async fn client_key(&self, client: ClientId) -> Result<DataKey> {
        let stored = self
            .key_store()
            .get(client)
            .await?
            .ok_or(AppError::NotFound)?;
        self.unwrap_key(client, &stored)
    }

    /// The data keys of several clients, fetched in one query; erased clients are absent.
    pub(crate) async fn client_keys(
        &self,
        clients: &[ClientId],
    ) -> Result<HashMap<ClientId, DataKey>> {
        self.key_store()
            .get_many(clients)
            .await?
            .into_iter()
            .map(|(client, stored)| Ok((client, self.unwrap_key(client, &stored)?)))
            .collect()
    }

    pub(crate) fn unwrap_key(&self, client: ClientId, stored: &WrappedKey) -> Result<DataKey> {
        Ok(crypto::unwrap_data_key(
            |version| self.keyring().kek(version),
            &client.to_string(),
            stored.dek_version,
            &stored.wrapped,
        )?)
    }
}

/// Seals a field of a row.
pub(crate) fn seal(
    app: &App,
    dek: &DataKey,
    table: &str,
    column: &str,
    row: &str,
    text: &str,
) -> Vec<u8> {
    crypto::seal_field(
        dek,
        FieldAad {
            table,
            column,
            row_id: row,
        },
        text.as_bytes(),
        &mut app.entropy().rng(),
    )
}

/// Opens a sealed field of a row as text.
pub(crate) fn open(
    dek: &DataKey,
    table: &str,
    column: &str,
    row: &str,
    blob: &[u8],
) -> Result<String> {
    let bytes = crypto::open_field(
        dek,
        FieldAad {
            table,
            column,
            row_id: row,
        },
        blob,
    )?;
    String::from_utf8(bytes).map_err(|_| AppError::Crypto(crypto::CryptoError::Malformed))
}

/// Opens an optional sealed field.
pub(crate) fn open_opt(
    dek: &DataKey,
    table: &str,
    column: &str,
    row: &str,
    blob: Option<&[u8]>,
) -> Result<Option<String>> {
    blob.map(|b| open(dek, table, column, row, b)).transpose()
}
