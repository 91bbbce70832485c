"""Session 4 repair: two device calls ran without the base-name guard, so experiments on two different bases came back
labelled plain `nano4k`, which session 3's first base (sha256 b3700aa0...) already names. This gives each folder the
label its own weights earn, `nano4k-<sha8>` from the `model_sha256` its config.json records (what reproduce-full.sh
now always does on the device), in the folder name, metrics.json (id, model), table.csv/.md and config.json's model_dir.
Nothing else changes: the experiment hash does not include the model label.
Usage: python3 relabel_base.py <results-gpu-dir> <dest-dir>"""
import json, pathlib, shutil, sys

src, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for folder in sorted(p for p in src.iterdir() if p.is_dir() and p.name.startswith("full-")):
    config = json.loads((folder / "config.json").read_text())
    sha = config["config"]["model_sha256"]
    old, new = "-nano4k-", f"-nano4k-{sha[:8]}-"
    if old not in folder.name or new in folder.name:
        sys.exit(f"{folder}: unexpected name (expected an unsuffixed nano4k label)")
    target = dest / folder.name.replace(old, new)
    if target.exists():
        sys.exit(f"{target} exists already")
    shutil.copytree(folder, target)
    for name in ("metrics.json", "table.csv", "table.md", "config.json"):
        f = target / name
        text = f.read_text()
        text = (text.replace(folder.name, target.name)
                    .replace('"model": "nano4k"', f'"model": "nano4k-{sha[:8]}"')
                    .replace(",nano4k,", f",nano4k-{sha[:8]},")
                    .replace("| nano4k |", f"| nano4k-{sha[:8]} |")
                    .replace("/models/nano4k/model", f"/models/nano4k-{sha[:8]}/model"))
        f.write_text(text)
    print(folder.name, "->", target.name)
