//! The encryption lab: who encrypts, who holds the key and who manages it in each mode S3
//! offers, and client-side encryption done for real in the page (AES-256-GCM envelope in the
//! S3 Encryption Client v2 format), so the learner sees that S3 only ever stores ciphertext.
//!
//! Follows the S3 UG "Protecting data with encryption" and "Protecting data by using client-side
//! encryption" pages: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingEncryption.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingClientSideEncryption.html>.

use s3pg_crypto::client_side::{self, ClientEncryptedObject, ClientMasterKey};
use s3pg_crypto::responsibilities::responsibilities;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::editor::render_ticks;
use crate::entropy::BrowserEntropy;

#[derive(Clone, PartialEq)]
struct Lab {
    master: Option<ClientMasterKey>,
    stored: Option<ClientEncryptedObject>,
    result: Option<Result<String, String>>,
}

/// The encryption lab.
#[function_component(EncryptionLab)]
pub fn encryption_lab() -> Html {
    let lab = use_state(|| Lab {
        master: None,
        stored: None,
        result: None,
    });
    let text = use_state(|| "Quarterly results: revenue up 12%".to_owned());

    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() {
                text.set(a.value());
            }
        })
    };
    let encrypt = {
        let lab = lab.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            let mut entropy = BrowserEntropy::new();
            let master = lab
                .master
                .clone()
                .unwrap_or_else(|| ClientMasterKey::generate(&mut entropy));
            let stored = client_side::encrypt(text.as_bytes(), &master, &mut entropy).ok();
            lab.set(Lab {
                master: Some(master),
                stored,
                result: None,
            });
        })
    };
    let decrypt_with = |right_key: bool| {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| {
            let (Some(stored), Some(master)) = (&lab.stored, &lab.master) else {
                return;
            };
            let key = if right_key {
                master.clone()
            } else {
                ClientMasterKey::generate(&mut BrowserEntropy::new())
            };
            let result = client_side::decrypt(stored, &key)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| e.to_string());
            lab.set(Lab {
                result: Some(result),
                ..(*lab).clone()
            });
        })
    };

    html! {
        <section class="panel lab" aria-labelledby="lab-h">
            <h2 id="lab-h">{ "Encryption at rest: who holds which key" }</h2>
            <div class="table-scroll">
                <table class="compare responsibilities">
                    <thead><tr>
                        <th scope="col">{ "Mode" }</th><th scope="col">{ "The writer sends" }</th>
                        <th scope="col">{ "Who encrypts" }</th><th scope="col">{ "Who stores the key" }</th>
                        <th scope="col">{ "Who manages the key" }</th><th scope="col">{ "To read" }</th>
                    </tr></thead>
                    <tbody>
                        { for responsibilities().iter().map(|r| html! {
                            <tr>
                                <th scope="row"><a href={r.source} target="_blank" rel="noopener">{ r.name }</a></th>
                                <td>{ render_ticks(r.request_headers) }</td>
                                <td>{ render_ticks(r.who_encrypts) }</td>
                                <td>{ render_ticks(r.who_stores_the_key) }</td>
                                <td>{ render_ticks(r.who_manages_the_key) }</td>
                                <td>{ render_ticks(r.to_read) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>

            <h3>{ "Try client-side encryption" }</h3>
            <p class="hint">
                { "Your browser makes a master key that never leaves this page, encrypts the text under a fresh data key (AES-256-GCM), and wraps the data key with the master key — the S3 Encryption Client v2 format. S3 would store only the ciphertext and the metadata headers below." }
            </p>
            <label class="field">{ "Object body (plaintext)" }
                <textarea class="paste" value={(*text).clone()} oninput={on_text} spellcheck="false" />
            </label>
            <div class="actions wrap">
                <button class="primary" onclick={encrypt}>{ "Encrypt in the browser" }</button>
                <button class="ghost" onclick={decrypt_with(true)} disabled={lab.stored.is_none()}>{ "Decrypt with my key" }</button>
                <button class="ghost" onclick={decrypt_with(false)} disabled={lab.stored.is_none()}>{ "Decrypt with another key" }</button>
            </div>
            if let Some(stored) = &lab.stored {
                <div class="crypto-out" data-testid="client-side">
                    <p><strong>{ "What S3 stores" }</strong>{ format!(" — {} bytes of ciphertext and tag:", stored.body.len()) }</p>
                    <pre class="code">{ hex_preview(&stored.body) }</pre>
                    <table class="compare">
                        <tbody>
                            { for stored.metadata.headers().into_iter().map(|(k, v)| html! {
                                <tr><th scope="row"><code>{ k }</code></th><td><code>{ v }</code></td></tr>
                            }) }
                        </tbody>
                    </table>
                    <ol class="crypto-steps">
                        { for s3pg_crypto::explain::client_side_upload(stored).iter().map(|s| html! {
                            <li><strong>{ s.actor.to_string() }</strong>{ ": " }{ render_ticks(&s.text) }</li>
                        }) }
                    </ol>
                </div>
            }
            if let Some(result) = &lab.result {
                { match result {
                    Ok(plain) => html! { <p class="decision allow" role="status" data-testid="decrypted">{ "Decrypted: " }<code>{ plain }</code></p> },
                    Err(e) => html! { <p class="decision explicit-deny" role="status" data-testid="decrypted">{ "Refused: " }{ render_ticks(e) }</p> },
                } }
            }
        </section>
    }
}

fn hex_preview(bytes: &[u8]) -> String {
    let shown: String = bytes.iter().take(96).map(|b| format!("{b:02x}")).collect();
    if bytes.len() > 96 {
        format!("{shown}…")
    } else {
        shown
    }
}
