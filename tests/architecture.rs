//! The core's modules form a one-way stack: no top-level module of src/ (outside the app and the
//! CLI, which sit on top) imports, directly or through others, a module that imports it back.
//! Read from the sources: every `crate::name` (and `crate::{a, b}`) in a module's files, tests
//! and comments excluded, is an edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module of src/ → the top-level modules its non-test code names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir()
            || (path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main")
        {
            modules.insert(name);
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &modules {
        let mut files = Vec::new();
        collect(&src.join(module), &mut files);
        collect(&src.join(format!("{module}.rs")), &mut files);
        let targets = edges.entry(module.clone()).or_default();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            // a `#[cfg(test)] mod tests { … }` at the end of a file is test code
            let code: String = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or("")
                .lines()
                // comments may name any module
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                    group
                        .split('}')
                        .next()
                        .unwrap_or("")
                        .split([',', ' ', '\n'])
                        .map(|s| s.split("::").next().unwrap_or(""))
                        .collect()
                } else {
                    vec![
                        rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .next()
                            .unwrap_or(""),
                    ]
                };
                for name in names {
                    if modules.contains(name) && name != module {
                        targets.insert(name.to_string());
                    }
                }
            }
        }
    }
    edges
}

fn collect(path: &Path, files: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            collect(&entry.unwrap().path(), files);
        }
    } else if path.is_file()
        && path.extension().is_some_and(|e| e == "rs")
        && !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with("tests.rs")
    {
        files.push(path.to_path_buf());
    }
}

/// The modules reachable from `from` through `edges`.
fn reachable(edges: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = edges[from].iter().map(String::as_str).collect();
    while let Some(m) = stack.pop() {
        if seen.insert(m.to_string()) {
            stack.extend(edges.get(m).into_iter().flatten().map(String::as_str));
        }
    }
    seen
}

#[test]
fn the_core_modules_form_a_one_way_stack() {
    let edges = imports();
    assert!(edges.contains_key("pipeline") && edges.contains_key("config"));
    let mut cycles = Vec::new();
    for module in edges.keys().filter(|m| *m != "app" && *m != "cli") {
        for target in &edges[module] {
            if reachable(&edges, target).contains(module) {
                cycles.push(format!("{module} → {target} → … → {module}"));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
    // the layers the README's map names, bottom to top
    for (lower, upper) in [
        ("tsne", "methods"),
        ("umap", "methods"),
        ("neighbours", "tsne"),
        ("config", "pipeline"),
        ("pipeline", "evaluate"),
        ("evaluate", "equivalence"),
        ("equivalence", "sweep"),
        ("sweep", "report"),
        ("sweep", "plot"),
        ("equivalence", "report"),
        ("report", "output"),
        ("memory", "parallel"),
    ] {
        assert!(
            !reachable(&edges, lower).contains(upper),
            "{lower} must not depend on {upper}"
        );
    }
}

#[test]
fn the_check_sees_a_cycle() {
    // the check itself: a made-up cycle is found
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("a".into());
    assert!(reachable(&edges, "b").contains("a"));
    assert!(!imports()["config"].contains("app"));
}
