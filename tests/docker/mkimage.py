#!/usr/bin/env python3
"""mkimage.py DIR TAG - write a tiny OCI image layout (one layer holding
/hello.txt) to DIR, tagged TAG, for skopeo to copy.  No network needed."""
import hashlib
import io
import json
import os
import sys
import tarfile


def blob(d, data):
    h = hashlib.sha256(data).hexdigest()
    with open(os.path.join(d, "blobs", "sha256", h), "wb") as f:
        f.write(data)
    return "sha256:" + h, len(data)


def main():
    d, tag = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(d, "blobs", "sha256"), exist_ok=True)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        data = b"hello from optt-auth tests\n"
        ti = tarfile.TarInfo("hello.txt")
        ti.size = len(data)
        ti.mtime = 0
        t.addfile(ti, io.BytesIO(data))
    layer = buf.getvalue()
    ldig, lsize = blob(d, layer)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["/hello.txt"]},
        "rootfs": {"type": "layers", "diff_ids": [ldig]},
    }).encode()
    cdig, csize = blob(d, config)
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdig, "size": csize},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": ldig, "size": lsize}],
    }).encode()
    mdig, msize = blob(d, manifest)
    with open(os.path.join(d, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdig, "size": msize,
            "annotations": {"org.opencontainers.image.ref.name": tag}}]}, f)
    with open(os.path.join(d, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    print(mdig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
