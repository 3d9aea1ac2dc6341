"""The tar streamed through age: no plaintext tar on disk, every damage refused by name."""

import io
import tarfile

import pyrage
import pytest
from pyrage import x25519

from vigil.backup.manifest import BackupInvalid
from vigil.backup.streaming import decrypt_tar, encrypt_tar


def _regular(member):
    return member.isfile()


@pytest.fixture
def identity():
    return x25519.Identity.generate()


@pytest.fixture
def sealed(tmp_path, identity):
    sources = []
    for i, size in enumerate((0, 1, 300_000, 65_536)):
        path = tmp_path / f"in-{i}"
        path.write_bytes(bytes([i]) * size)
        sources.append((f"dir/f{i}", path))
    archive = tmp_path / "archive.age"
    encrypt_tar(sources, archive, [identity.to_public()])
    return archive, sources


def test_streamed_archive_round_trips_every_file_byte_for_byte(tmp_path, identity, sealed):
    archive, sources = sealed
    out = tmp_path / "out"
    out.mkdir()
    decrypt_tar(archive, [identity], out, _regular)
    for name, path in sources:
        assert (out / name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_streamed_archive_with_a_flipped_byte_or_cut_short_does_not_decrypt(
    tmp_path, identity, sealed, where
):
    archive, _ = sealed
    data = bytearray(archive.read_bytes())
    if where == "end":
        data = data[:-20]
    else:
        data[200 if where == "start" else len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BackupInvalid, match="does not decrypt"):
        decrypt_tar(archive, [identity], out, _regular)


def test_streamed_archive_refuses_a_member_that_is_not_accepted(tmp_path, identity):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        link = tarfile.TarInfo("evil")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
        big = tarfile.TarInfo("after")
        big.size = 1_000_000
        tar.addfile(big, io.BytesIO(b"x" * big.size))
    archive = tmp_path / "archive.age"
    archive.write_bytes(pyrage.encrypt(buffer.getvalue(), [identity.to_public()]))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BackupInvalid, match="unexpected entry"):
        decrypt_tar(archive, [identity], out, _regular)
    assert list(out.iterdir()) == []


def test_streamed_archive_that_is_not_a_tar_is_refused_as_damaged(tmp_path, identity):
    archive = tmp_path / "archive.age"
    archive.write_bytes(pyrage.encrypt(b"not a tar at all" * 100, [identity.to_public()]))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BackupInvalid, match="damaged"):
        decrypt_tar(archive, [identity], out, _regular)


def test_encrypting_stops_cleanly_when_a_member_vanished(tmp_path, identity):
    present = tmp_path / "present"
    present.write_bytes(b"y" * 200_000)
    with pytest.raises(FileNotFoundError):
        encrypt_tar(
            [("a", present), ("b", tmp_path / "gone")], tmp_path / "x.age", [identity.to_public()]
        )
