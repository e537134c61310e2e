//! The EIDO parser and mapper never panic, whatever arrives: arbitrary bytes, arbitrary JSON,
//! and NENA's own sample with parts deleted or replaced by values of any type. When a mutated
//! document is accepted, its events keep the server's limits.

use cad_bridge::eido::{Mapper, parse};
use proptest::prelude::*;
use serde_json::{Map, Value};

const SAMPLE: &str = include_str!("../data/eido/sample-call-transfer.eido.json");
const CRISIS: &str = include_str!("../data/eido/crisis-call-update.eido.json");

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("$ref"),
            Just("$id"),
            Just("2021-04-30T14:43:49.439-04:00"),
            Just("state.pa.us"),
            Just("<civicAddress><RD>Oak</RD></civicAddress>"),
            Just("<gml:pos>91 -200</gml:pos>"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[$a-zA-Z]{1,8}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A walk into the document: at each level, which child (modulo the number of children).
#[derive(Clone, Debug)]
enum Mutation {
    Delete(Vec<usize>),
    Replace(Vec<usize>, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let path = prop::collection::vec(any::<usize>(), 1..6);
    prop_oneof![
        path.clone().prop_map(Mutation::Delete),
        (path, any_json()).prop_map(|(p, v)| Mutation::Replace(p, v)),
    ]
}

fn apply(doc: &mut Value, m: &Mutation) {
    let (path, replacement) = match m {
        Mutation::Delete(p) => (p, None),
        Mutation::Replace(p, v) => (p, Some(v.clone())),
    };
    let mut here = doc;
    for (depth, step) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        match here {
            Value::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(step % map.len()).cloned().unwrap();
                if last {
                    match &replacement {
                        None => {
                            map.remove(&key);
                        }
                        Some(v) => {
                            map.insert(key, v.clone());
                        }
                    }
                    return;
                }
                here = map.get_mut(&key).unwrap();
            }
            Value::Array(items) if !items.is_empty() => {
                let i = step % items.len();
                if last {
                    match &replacement {
                        None => {
                            items.remove(i);
                        }
                        Some(v) => items[i] = v.clone(),
                    }
                    return;
                }
                here = &mut items[i];
            }
            _ => return,
        }
    }
}

fn check(bytes: &[u8]) {
    if let Ok(doc) = parse(bytes)
        && let Ok(mapped) = Mapper::new("props").map(&doc)
    {
        for event in &mapped.events {
            assert!(event.event_id.len() <= 128, "{}", event.event_id);
            assert!(!event.call_number.trim().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(v in any_json()) {
        check(v.to_string().as_bytes());
    }

    #[test]
    fn mutated_nena_documents_never_panic(
        mutations in prop::collection::vec(mutation(), 1..5),
        which in any::<bool>(),
    ) {
        let mut doc: Value = serde_json::from_str(if which { SAMPLE } else { CRISIS }).unwrap();
        for m in &mutations {
            apply(&mut doc, m);
        }
        check(doc.to_string().as_bytes());
    }

    #[test]
    fn truncated_documents_never_panic(cut in 0usize..9038) {
        let bytes = SAMPLE.as_bytes();
        check(&bytes[..cut.min(bytes.len())]);
    }
}
