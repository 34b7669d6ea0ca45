//! Properties every encryption mode must keep, whatever the body, key, nonce or context:
//! opening what was sealed gives the body back; any other key, context or a single flipped bit
//! is refused; stored bytes never equal a non-empty body.

use proptest::prelude::*;
use s3pg_crypto::client_side::{self, ClientMasterKey};
use s3pg_crypto::ssec::{self, SseCHeaders};
use s3pg_crypto::totp::{self, MfaDevice};
use s3pg_crypto::{
    Aes256Key, CryptoError, CustomerKey, EncryptionContext, KeyRing, Nonce, SeededEntropy,
    dsse_open, dsse_seal, envelope_open, envelope_seal, open, open_object, seal, seal_object,
};

fn key() -> impl Strategy<Value = Aes256Key> {
    any::<[u8; 32]>().prop_map(Aes256Key::from_bytes)
}

fn nonce() -> impl Strategy<Value = Nonce> {
    any::<[u8; 12]>().prop_map(Nonce::from_bytes)
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..512)
}

fn nonempty_body() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 1..512)
}

/// Bodies of at least one AES block. A 1-byte ciphertext equals its plaintext with probability
/// 1/256 (GCM is a stream mode), so "never equal" is only a sound property from 16 bytes on,
/// where the chance is 2^-128.
fn block_or_longer_body() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 16..512)
}

/// Flips bit `bit` of the wire form `nonce || encrypted || tag`.
#[expect(
    clippy::indexing_slicing,
    reason = "the index is reduced modulo the length; callers never pass empty bytes"
)]
fn flip(bytes: &mut [u8], bit: usize) {
    let i = (bit / 8) % bytes.len();
    bytes[i] ^= 1 << (bit % 8);
}

proptest! {
    #[test]
    fn open_of_seal_is_the_identity(k in key(), n in nonce(), msg in body(), aad in body()) {
        let sealed = seal(&k, n, &msg, &aad).unwrap();
        prop_assert_eq!(open(&k, &sealed, &aad).unwrap(), msg);
    }

    #[test]
    fn any_other_key_is_refused(k in key(), other in key(), n in nonce(), msg in body()) {
        prop_assume!(k != other);
        let sealed = seal(&k, n, &msg, b"").unwrap();
        prop_assert_eq!(open(&other, &sealed, b""), Err(CryptoError::AuthenticationFailed));
    }

    #[test]
    fn any_flipped_bit_is_refused(k in key(), n in nonce(), msg in body(), bit in any::<usize>()) {
        let sealed = seal(&k, n, &msg, b"aad").unwrap();
        let mut wire = sealed.to_bytes();
        flip(&mut wire, bit);
        let tampered = s3pg_crypto::Ciphertext::from_bytes(&wire).unwrap();
        prop_assert_eq!(open(&k, &tampered, b"aad"), Err(CryptoError::AuthenticationFailed));
    }

    #[test]
    fn any_flipped_aad_bit_is_refused(k in key(), n in nonce(), msg in body(), aad in nonempty_body(), bit in any::<usize>()) {
        let sealed = seal(&k, n, &msg, &aad).unwrap();
        let mut other = aad.clone();
        flip(&mut other, bit);
        prop_assert_eq!(open(&k, &sealed, &other), Err(CryptoError::AuthenticationFailed));
    }

    #[test]
    fn ciphertext_never_equals_a_plaintext_of_a_block_or_more(k in key(), n in nonce(), msg in block_or_longer_body()) {
        let sealed = seal(&k, n, &msg, b"").unwrap();
        prop_assert_eq!(sealed.encrypted.len(), msg.len());
        prop_assert_ne!(&sealed.encrypted, &msg);
    }

    #[test]
    fn object_seal_open_round_trips(seed in any::<[u8; 8]>(), msg in body(), aad in body()) {
        let mut e = SeededEntropy::from_seed(&seed);
        let data_key = Aes256Key::generate(&mut e);
        let sealed = seal_object(&msg, &data_key, &aad, &mut e).unwrap();
        prop_assert_eq!(open_object(&sealed, &data_key, &aad).unwrap(), msg);
    }

    #[test]
    fn envelope_round_trips_across_rotations(seed in any::<[u8; 8]>(), msg in body(), rotations in 0_u32..4, arn in "[a-z0-9/._-]{1,40}") {
        let mut e = SeededEntropy::from_seed(&seed);
        let mut kek = KeyRing::new("arn:aws:kms:us-east-1:111122223333:key/k", &mut e);
        let ctx = EncryptionContext::s3_arn(&format!("arn:aws:s3:::bucket/{arn}"));
        let sealed = envelope_seal(&msg, &kek, &ctx, &mut e).unwrap();
        for _ in 0..rotations {
            kek.rotate(&mut e);
        }
        prop_assert_eq!(envelope_open(&sealed, &kek, &ctx).unwrap(), msg);
    }

    #[test]
    fn dsse_round_trips_and_needs_the_kms_key(seed in any::<[u8; 8]>(), msg in body()) {
        let mut e = SeededEntropy::from_seed(&seed);
        let kms = KeyRing::new("arn:aws:kms:us-east-1:111122223333:key/k", &mut e);
        let impostor = KeyRing::new("arn:aws:kms:us-east-1:111122223333:key/k", &mut e);
        let s3 = KeyRing::new("sse-s3-root", &mut e);
        let ctx = EncryptionContext::s3_arn("arn:aws:s3:::b/o");
        let sealed = dsse_seal(&msg, &kms, &s3, &ctx, &mut e).unwrap();
        prop_assert_eq!(dsse_open(&sealed, &kms, &s3, &ctx).unwrap(), msg);
        prop_assert_eq!(dsse_open(&sealed, &impostor, &s3, &ctx), Err(CryptoError::AuthenticationFailed));
    }

    #[test]
    fn envelope_refuses_another_context(seed in any::<[u8; 8]>(), msg in body(), a in "[a-z]{1,10}", b in "[a-z]{1,10}") {
        prop_assume!(a != b);
        let mut e = SeededEntropy::from_seed(&seed);
        let kek = KeyRing::new("k", &mut e);
        let sealed = envelope_seal(&msg, &kek, &EncryptionContext::s3_arn(&a), &mut e).unwrap();
        prop_assert_eq!(
            envelope_open(&sealed, &kek, &EncryptionContext::s3_arn(&b)),
            Err(CryptoError::AuthenticationFailed)
        );
    }

    #[test]
    fn envelope_refuses_a_flipped_bit_in_the_body_or_the_wrapped_key(seed in any::<[u8; 8]>(), msg in body(), bit in any::<usize>(), in_key in any::<bool>()) {
        let mut e = SeededEntropy::from_seed(&seed);
        let kek = KeyRing::new("k", &mut e);
        let ctx = EncryptionContext::s3_arn("arn:aws:s3:::b/k");
        let mut sealed = envelope_seal(&msg, &kek, &ctx, &mut e).unwrap();
        let target = if in_key { &mut sealed.encrypted_data_key.wrapped } else { &mut sealed.body };
        let mut wire = target.to_bytes();
        flip(&mut wire, bit);
        *target = s3pg_crypto::Ciphertext::from_bytes(&wire).unwrap();
        prop_assert_eq!(envelope_open(&sealed, &kek, &ctx), Err(CryptoError::AuthenticationFailed));
    }

    #[test]
    fn client_side_round_trips_and_is_opaque(seed in any::<[u8; 8]>(), msg in block_or_longer_body()) {
        let mut e = SeededEntropy::from_seed(&seed);
        let master = ClientMasterKey::generate(&mut e);
        let other = ClientMasterKey::generate(&mut e);
        let obj = client_side::encrypt(&msg, &master, &mut e).unwrap();
        prop_assert_ne!(obj.body.get(..msg.len()).unwrap(), &msg[..]);
        prop_assert_eq!(client_side::decrypt(&obj, &other), Err(CryptoError::AuthenticationFailed));
        prop_assert_eq!(client_side::decrypt(&obj, &master).unwrap(), msg);
    }

    #[test]
    fn sse_c_headers_of_any_key_validate_and_only_that_key_reads(seed in any::<[u8; 8]>()) {
        let mut e = SeededEntropy::from_seed(&seed);
        let key = CustomerKey::generate(&mut e);
        let other = CustomerKey::generate(&mut e);
        let [(_, alg), (_, k), (_, md5)] = key.headers();
        let headers = SseCHeaders { algorithm: Some(&alg), key: Some(&k), key_md5: Some(&md5) };
        let parsed = ssec::check_write(&headers, None, true).unwrap().unwrap();
        prop_assert_eq!(&parsed, &key);
        let stored = parsed.fingerprint(&mut e);
        prop_assert!(ssec::check_read(Some(&stored), Some(&key)).is_ok());
        prop_assert_eq!(ssec::check_read(Some(&stored), Some(&other)).unwrap_err().status(), 403);
    }

    #[test]
    fn a_device_accepts_its_own_code_once_at_any_time(seed in any::<[u8; 8]>(), now in 0_u64..8_000_000_000) {
        let mut e = SeededEntropy::from_seed(&seed);
        let mut device = MfaDevice::create_virtual("arn:aws:iam::123456789012:mfa/d", &mut e);
        let code = device.code_at(now);
        prop_assert_eq!(code.len(), totp::DIGITS as usize);
        prop_assert!(device.verify(&code, now).is_ok());
        prop_assert!(device.verify(&code, now).is_err());
    }
}

// Everything that reads learner or wire input answers with a value or an error, never a panic.
proptest! {
    #[test]
    fn sse_c_header_parsing_never_panics(alg in proptest::option::of(".{0,12}"), key in proptest::option::of(".{0,60}"), md5 in proptest::option::of(".{0,30}"), secure in any::<bool>()) {
        let headers = SseCHeaders { algorithm: alg.as_deref(), key: key.as_deref(), key_md5: md5.as_deref() };
        let _ = ssec::check_write(&headers, None, secure);
    }

    #[test]
    fn mfa_inputs_never_panic(header in ".{0,80}", code in ".{0,10}", seed in ".{0,80}", now in any::<u64>()) {
        let _ = totp::MfaHeader::parse(&header);
        let _ = totp::decode_base32_seed(&seed);
        let mut device = MfaDevice::new("serial", b"12345678901234567890".to_vec());
        let _ = device.verify(&code, now);
        let _ = device.resync(&code, &code, now);
    }

    #[test]
    fn ciphertext_and_context_decoding_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64), text in ".{0,80}") {
        let _ = s3pg_crypto::Ciphertext::from_bytes(&bytes);
        let _ = s3pg_crypto::Ciphertext::from_base64(&text);
        let _ = EncryptionContext::from_header(&text);
    }

    #[test]
    fn client_side_decrypt_of_arbitrary_metadata_never_panics(values in proptest::collection::vec(".{0,40}", 7), body in proptest::collection::vec(any::<u8>(), 0..40)) {
        let names = ["x-amz-key-v2", "x-amz-iv", "x-amz-cek-alg", "x-amz-wrap-alg", "x-amz-tag-len", "x-amz-matdesc", "x-amz-unencrypted-content-length"];
        let pairs = names.iter().copied().zip(values.iter().map(String::as_str));
        if let Ok(metadata) = client_side::ClientSideMetadata::from_entries(pairs) {
            let master = ClientMasterKey::new(Aes256Key::from_bytes([9; 32]));
            let object = client_side::ClientEncryptedObject { body, metadata };
            let _ = client_side::decrypt(&object, &master);
        }
    }
}
