//! The TLS side: a rustls server configuration from PEM files, or from a self-signed
//! certificate made at start (rcgen) for `localhost`, `127.0.0.1` and the mail domain.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// Builds the acceptor: from `cert` and `key` when given, else self-signed.
pub(crate) fn acceptor(
    cert: Option<&Path>,
    key: Option<&Path>,
    domain: &str,
) -> Result<TlsAcceptor, Box<dyn std::error::Error>> {
    let (chain, key) = match (cert, key) {
        (Some(cert), Some(key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .map_err(|e| format!("{}: {e}", cert.display()))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{}: {e}", cert.display()))?;
            let key =
                PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
            (chain, key)
        }
        _ => {
            let names = vec![
                "localhost".to_owned(),
                "127.0.0.1".to_owned(),
                domain.to_owned(),
            ];
            let made = rcgen::generate_simple_self_signed(names)?;
            let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.key_pair.serialize_der()));
            (vec![made.cert.der().clone()], key)
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}
