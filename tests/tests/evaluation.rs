//! The labelled evaluation set (eval/portland-eval.jsonl) through the real batch CLI: no call
//! that the labels say is not for the team may come out eligible, and at least 90 % of the
//! calls the team exists for must.

use std::collections::HashMap;
use std::process::Command;

#[test]
fn the_evaluation_set_has_no_wrongly_eligible_call_and_keeps_recall() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../eval/portland-eval.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_e2e-server"))
        .args(["triage", "--input", path])
        .output()
        .expect("run triage");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected: HashMap<String, serde_json::Value> = std::fs::read_to_string(path)
        .expect("eval set")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            (v["call_id"].as_str().expect("id").to_owned(), v)
        })
        .collect();
    assert!(expected.len() >= 300, "at least 300 labelled calls");
    let (mut wrongly_eligible, mut eligible, mut recalled, mut review) = (Vec::new(), 0, 0, 0);
    let mut total: u32 = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let got: serde_json::Value = serde_json::from_str(line).expect("output json");
        let id = got["call_id"].as_str().expect("id");
        let want = expected[id]["expected"]["decision"]
            .as_str()
            .expect("label");
        let decision = got["decision"].as_str().expect("decision");
        total += 1;
        if decision == "eligible" && want != "eligible" {
            wrongly_eligible.push(id.to_owned());
        }
        if want == "eligible" {
            eligible += 1;
            if decision == "eligible" {
                recalled += 1;
            }
        }
        if decision == "review" {
            review += 1;
        }
    }
    assert_eq!(total as usize, expected.len());
    let recall = f64::from(recalled) / f64::from(eligible);
    println!(
        "{{\"eval\":\"portland\",\"calls\":{total},\"wrongly_eligible\":{},\"eligible_recall\":{recall:.3},\"review_share\":{:.3}}}",
        wrongly_eligible.len(),
        f64::from(review) / f64::from(total)
    );
    assert!(
        wrongly_eligible.is_empty(),
        "wrongly eligible: {wrongly_eligible:?}"
    );
    assert!(recall >= 0.9, "eligible recall {recall:.3}");
}
