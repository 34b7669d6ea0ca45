//! The form-based policy builder in the page: one card per statement with its Sid, Effect,
//! Principal, Action, Resource and condition rows. It reads the form from the JSON text and every
//! change writes the JSON back (see [`super::form`]), so edits in one show in the other.

use std::collections::HashMap;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::form::{
    ConditionRow, PolicyForm as Model, PrincipalForm, Scalar, StatementForm, Values, from_text,
    split_values, to_text_of,
};

/// Props for [`PolicyForm`].
#[derive(Properties, PartialEq)]
pub struct FormProps {
    /// The policy text.
    pub text: String,
    /// Called with the new text after each change in the form.
    pub on_edit: Callback<String>,
}

/// What the form shows: the model of the text it last wrote, and the raw text of the fields
/// being typed in (a list field keeps its trailing line break while the learner types).
#[derive(Clone, PartialEq, Default)]
struct Local {
    text: String,
    model: Option<Model>,
    raw: HashMap<String, String>,
}

type Change = Rc<dyn Fn(Box<dyn FnOnce(&mut Model)>, Option<(String, String)>)>;

/// An edit of one principal entry (type and values).
type EntryEdit = Box<dyn FnOnce(&mut (String, Values))>;

fn input_value(e: &InputEvent) -> String {
    if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
        i.value()
    } else if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
        t.value()
    } else {
        String::new()
    }
}

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn checked(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>()
        .is_some_and(|i| i.checked())
}

/// New values from a list field, keeping the array shape the JSON had.
fn values_from(field: &str, before: Option<&Values>) -> Values {
    let items = split_values(field);
    let list = before.is_some_and(|b| b.list) || items.len() != 1;
    Values { items, list }
}

/// The form builder.
#[function_component(PolicyForm)]
pub fn policy_form(props: &FormProps) -> Html {
    let local = use_state(Local::default);
    let (read, raw) = match &local.model {
        Some(m) if local.text == props.text => (Ok(m.clone()), local.raw.clone()),
        _ => (from_text(&props.text), HashMap::new()),
    };
    let model = match read {
        Ok(m) => m,
        Err(why) => {
            return html! {
                <div class="cm-form" data-testid="policy-form">
                    <p class="cm-message" role="status">
                        { "The form cannot show this policy: " }{ crate::text::render_ticks(&why) }{ ". Edit it as JSON." }
                    </p>
                </div>
            };
        }
    };
    let change: Change = {
        let local = local.clone();
        let on_edit = props.on_edit.clone();
        let base = model.clone();
        let raw = raw.clone();
        Rc::new(
            move |f: Box<dyn FnOnce(&mut Model)>, field: Option<(String, String)>| {
                let mut next = base.clone();
                f(&mut next);
                let text = to_text_of(&next);
                let mut raw = raw.clone();
                if let Some((k, v)) = field {
                    raw.insert(k, v);
                }
                local.set(Local {
                    text: text.clone(),
                    model: Some(next),
                    raw,
                });
                on_edit.emit(text);
            },
        )
    };
    let add_statement = {
        let change = change.clone();
        Callback::from(move |_: MouseEvent| {
            change(
                Box::new(|m: &mut Model| {
                    m.single = false;
                    m.statements.push(StatementForm {
                        effect: Some("Allow".into()),
                        ..StatementForm::default()
                    });
                }),
                None,
            );
        })
    };
    html! {
        <div class="cm-form" data-testid="policy-form">
            <datalist id="cm-operators">
                { for s3pg_policy::ast::BaseOperator::ALL.iter().map(|o| html! { <option value={o.name()} /> }) }
            </datalist>
            if let Some(c) = super::catalogue() {
                <datalist id="cm-keys">
                    { for c.key_names().map(|k| html! { <option value={k.to_string()} /> }) }
                </datalist>
            }
            { for model.statements.iter().enumerate().map(|(i, s)| statement_card(i, s, &raw, &change)) }
            <button type="button" class="ghost" onclick={add_statement}>{ "+ Add statement" }</button>
        </div>
    }
}

/// Runs `f` on statement `i` of the model.
fn on_statement(
    change: &Change,
    i: usize,
    field: Option<(String, String)>,
    f: impl FnOnce(&mut StatementForm) + 'static,
) {
    change(
        Box::new(move |m: &mut Model| {
            if let Some(s) = m.statements.get_mut(i) {
                f(s);
            }
        }),
        field,
    );
}

fn statement_card(
    i: usize,
    s: &StatementForm,
    raw: &HashMap<String, String>,
    change: &Change,
) -> Html {
    let field = |name: &str, shown: String| -> String {
        raw.get(&format!("{i}.{name}")).cloned().unwrap_or(shown)
    };
    let id = |name: &str| format!("cm-form-{i}-{name}");

    let sid = {
        let change = change.clone();
        Callback::from(move |e: InputEvent| {
            let v = input_value(&e);
            on_statement(&change, i, None, move |s| {
                s.sid = (!v.is_empty()).then_some(v);
            });
        })
    };
    let effect = {
        let change = change.clone();
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            on_statement(&change, i, None, move |s| s.effect = Some(v));
        })
    };
    let list = |name: &'static str| {
        let change = change.clone();
        Callback::from(move |e: InputEvent| {
            let v = input_value(&e);
            let key = format!("{i}.{name}");
            let raw = Some((key, v.clone()));
            on_statement(&change, i, raw, move |s| {
                let slot = if name == "action" {
                    &mut s.action
                } else {
                    &mut s.resource
                };
                *slot = if v.trim().is_empty() {
                    None
                } else {
                    Some(values_from(&v, slot.as_ref()))
                };
            });
        })
    };
    let negate = |name: &'static str| {
        let change = change.clone();
        Callback::from(move |e: Event| {
            let on = checked(&e);
            on_statement(&change, i, None, move |s| match name {
                "action" => s.not_action = on,
                "resource" => s.not_resource = on,
                _ => s.not_principal = on,
            });
        })
    };
    let principal_kind = {
        let change = change.clone();
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            on_statement(&change, i, None, move |s| {
                s.principal = match v.as_str() {
                    "" => None,
                    "*" => Some(PrincipalForm::Everyone),
                    _ => Some(PrincipalForm::Map(vec![("AWS".into(), Values::default())])),
                };
            });
        })
    };
    let remove = {
        let change = change.clone();
        Callback::from(move |_: MouseEvent| {
            change(
                Box::new(move |m: &mut Model| {
                    if i < m.statements.len() {
                        m.statements.remove(i);
                    }
                }),
                None,
            );
        })
    };
    let add_condition = {
        let change = change.clone();
        Callback::from(move |_: MouseEvent| {
            on_statement(&change, i, None, |s| {
                s.conditions.push(ConditionRow {
                    operator: "StringEquals".into(),
                    key: String::new(),
                    values: Vec::new(),
                    list: false,
                });
            });
        })
    };
    let effect_value = s.effect.clone().unwrap_or_default();
    let principal_choice = match &s.principal {
        None => "",
        Some(PrincipalForm::Everyone) => "*",
        Some(PrincipalForm::Map(_)) => "some",
    };
    let joined = |v: &Option<Values>| v.as_ref().map(|v| v.items.join("\n")).unwrap_or_default();
    let title = s
        .sid
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("Statement {}", i + 1));
    html! {
        <fieldset class="cm-statement" data-statement-index={i.to_string()}>
            <legend>{ title }</legend>
            <div class="cm-row">
                <label for={id("sid")}>{ "Sid" }</label>
                <input id={id("sid")} type="text" value={s.sid.clone().unwrap_or_default()} oninput={sid} />
                <label for={id("effect")}>{ "Effect" }</label>
                <select id={id("effect")} onchange={effect}>
                    { for ["Allow", "Deny"].iter().map(|e| html! { <option value={*e} selected={effect_value == *e}>{ *e }</option> }) }
                    if !matches!(effect_value.as_str(), "Allow" | "Deny") {
                        <option value={effect_value.clone()} selected=true>{ format!("{effect_value} (not valid)") }</option>
                    }
                </select>
                <button type="button" class="ghost" onclick={remove}>{ "Remove statement" }</button>
            </div>
            <div class="cm-row">
                <label for={id("principal")}>{ "Principal" }</label>
                <select id={id("principal")} onchange={principal_kind}>
                    <option value="" selected={principal_choice.is_empty()}>{ "none (identity policy)" }</option>
                    <option value="*" selected={principal_choice == "*"}>{ "everyone (*)" }</option>
                    <option value="some" selected={principal_choice == "some"}>{ "specific principals" }</option>
                </select>
                <label class="cm-not"><input type="checkbox" checked={s.not_principal} onchange={negate("principal")} />{ "NotPrincipal" }</label>
            </div>
            if let Some(PrincipalForm::Map(kinds)) = &s.principal {
                { principal_rows(i, kinds, raw, change) }
            }
            <div class="cm-row cm-lists">
                <label for={id("action")}>{ "Action (one per line)" }</label>
                <textarea id={id("action")} rows="3" value={field("action", joined(&s.action))} oninput={list("action")} />
                <label class="cm-not"><input type="checkbox" checked={s.not_action} onchange={negate("action")} />{ "NotAction" }</label>
                <label for={id("resource")}>{ "Resource (one per line)" }</label>
                <textarea id={id("resource")} rows="3" value={field("resource", joined(&s.resource))} oninput={list("resource")} />
                <label class="cm-not"><input type="checkbox" checked={s.not_resource} onchange={negate("resource")} />{ "NotResource" }</label>
            </div>
            <table class="cm-conditions">
                <caption>{ "Conditions" }</caption>
                <thead><tr><th scope="col">{ "Operator" }</th><th scope="col">{ "Key" }</th><th scope="col">{ "Values (comma-separated)" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                <tbody>
                    { for s.conditions.iter().enumerate().map(|(r, row)| condition_row(i, r, row, raw, change)) }
                </tbody>
            </table>
            <button type="button" class="ghost" onclick={add_condition}>{ "+ Add condition" }</button>
        </fieldset>
    }
}

fn principal_rows(
    i: usize,
    kinds: &[(String, Values)],
    raw: &HashMap<String, String>,
    change: &Change,
) -> Html {
    let edit = move |change: &Change, k: usize, field: Option<(String, String)>, f: EntryEdit| {
        on_statement(change, i, field, move |s| {
            if let Some(PrincipalForm::Map(kinds)) = &mut s.principal
                && let Some(entry) = kinds.get_mut(k)
            {
                f(entry);
            }
        });
    };
    let add = {
        let change = change.clone();
        Callback::from(move |_: MouseEvent| {
            on_statement(&change, i, None, |s| {
                if let Some(PrincipalForm::Map(kinds)) = &mut s.principal {
                    kinds.push(("Service".into(), Values::default()));
                }
            });
        })
    };
    html! {
        <div class="cm-principals">
            { for kinds.iter().enumerate().map(|(k, (kind, values))| {
                let kind_id = format!("cm-form-{i}-pk-{k}");
                let values_id = format!("cm-form-{i}-pv-{k}");
                let on_kind = {
                    let change = change.clone();
                    Callback::from(move |e: Event| {
                        let v = select_value(&e);
                        edit(&change, k, None, Box::new(move |entry| entry.0 = v));
                    })
                };
                let on_values = {
                    let change = change.clone();
                    Callback::from(move |e: InputEvent| {
                        let v = input_value(&e);
                        let raw = Some((format!("{i}.p{k}"), v.clone()));
                        edit(&change, k, raw, Box::new(move |entry| entry.1 = values_from(&v, Some(&entry.1))));
                    })
                };
                let on_remove = {
                    let change = change.clone();
                    Callback::from(move |_: MouseEvent| {
                        on_statement(&change, i, None, move |s| {
                            if let Some(PrincipalForm::Map(kinds)) = &mut s.principal
                                && k < kinds.len()
                            {
                                kinds.remove(k);
                            }
                        });
                    })
                };
                let shown = raw.get(&format!("{i}.p{k}")).cloned().unwrap_or_else(|| values.items.join("\n"));
                html! {
                    <div class="cm-row">
                        <label for={kind_id.clone()} class="visually-hidden">{ "Principal type" }</label>
                        <select id={kind_id} onchange={on_kind}>
                            { for ["AWS", "Service", "Federated", "CanonicalUser"].iter().map(|t| html! { <option value={*t} selected={kind == t}>{ *t }</option> }) }
                        </select>
                        <label for={values_id.clone()} class="visually-hidden">{ format!("{kind} principals (one per line)") }</label>
                        <textarea id={values_id} rows="2" value={shown} oninput={on_values} />
                        <button type="button" class="ghost" onclick={on_remove}>{ "Remove" }</button>
                    </div>
                }
            }) }
            <button type="button" class="ghost" onclick={add}>{ "+ Add principal type" }</button>
        </div>
    }
}

fn condition_row(
    i: usize,
    r: usize,
    row: &ConditionRow,
    raw: &HashMap<String, String>,
    change: &Change,
) -> Html {
    let edit = move |change: &Change,
                     field: Option<(String, String)>,
                     f: Box<dyn FnOnce(&mut ConditionRow)>| {
        on_statement(change, i, field, move |s| {
            if let Some(row) = s.conditions.get_mut(r) {
                f(row);
            }
        });
    };
    let on_operator = {
        let change = change.clone();
        Callback::from(move |e: InputEvent| {
            let v = input_value(&e);
            edit(&change, None, Box::new(move |row| row.operator = v));
        })
    };
    let on_key = {
        let change = change.clone();
        Callback::from(move |e: InputEvent| {
            let v = input_value(&e);
            edit(&change, None, Box::new(move |row| row.key = v));
        })
    };
    let on_values = {
        let change = change.clone();
        Callback::from(move |e: InputEvent| {
            let v = input_value(&e);
            let raw = Some((format!("{i}.c{r}"), v.clone()));
            edit(
                &change,
                raw,
                Box::new(move |row| {
                    let texts = split_values(&v);
                    // A value typed as before keeps its kind (a `false` literal stays one).
                    let values: Vec<Scalar> = texts
                        .iter()
                        .map(|t| {
                            row.values
                                .iter()
                                .find(|old| old.text == *t)
                                .cloned()
                                .unwrap_or_else(|| Scalar::string(t.clone()))
                        })
                        .collect();
                    row.list = row.list || values.len() != 1;
                    row.values = values;
                }),
            );
        })
    };
    let on_remove = {
        let change = change.clone();
        Callback::from(move |_: MouseEvent| {
            on_statement(&change, i, None, move |s| {
                if r < s.conditions.len() {
                    s.conditions.remove(r);
                }
                s.has_condition = !s.conditions.is_empty();
            });
        })
    };
    let shown = raw.get(&format!("{i}.c{r}")).cloned().unwrap_or_else(|| {
        row.values
            .iter()
            .map(|v| v.text.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    html! {
        <tr>
            <td><input type="text" list="cm-operators" aria-label="Operator" value={row.operator.clone()} oninput={on_operator} /></td>
            <td><input type="text" list="cm-keys" aria-label="Condition key" value={row.key.clone()} oninput={on_key} /></td>
            <td><input type="text" aria-label="Values" value={shown} oninput={on_values} /></td>
            <td><button type="button" class="ghost" onclick={on_remove}>{ "Remove" }</button></td>
        </tr>
    }
}
