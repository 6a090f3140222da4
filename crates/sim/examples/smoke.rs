fn main() {
    let a = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let b = std::fs::read_to_string(std::env::args().nth(2).unwrap()).unwrap();
    let r = sim::explain::explain_sources(&[sim::Source::new("a", a), sim::Source::new("b", b)]);
    for d in &r.diagnostics { println!("{d}"); }
    for ds in &r.daemon_sets { println!("{:?}", ds.status); for n in &ds.nodes { println!("{} {:?} {}", n.node, n.outcome, n.summary); } }
}
