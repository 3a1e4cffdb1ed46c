from pathlib import Path

import pytest

from sandbox.errors import ImageBuildError
from sandbox.images import IMAGES, content_hash, dir_hash, rootfs_hash


@pytest.fixture
def recipes(tmp_path: Path) -> Path:
    for folder in ["base", *IMAGES.values()]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "Dockerfile").write_text(f"FROM scratch\n# {folder}\n")
    (tmp_path / "base" / "boxinit.c").write_text("int main(void) { return 0; }\n")
    return tmp_path


def hashes(root: Path) -> dict[str, str]:
    return {folder: content_hash(folder, root=root) for folder in ["base", *IMAGES.values()]}


def test_hash_is_stable(recipes):
    assert hashes(recipes) == hashes(recipes)


def test_every_image_has_its_own_hash(recipes):
    assert len(set(hashes(recipes).values())) == len(IMAGES) + 1


def test_changing_a_language_recipe_changes_only_that_image(recipes):
    before = hashes(recipes)
    (recipes / "c" / "Dockerfile").write_text("FROM scratch\nRUN true\n")
    after = hashes(recipes)
    assert after["c"] != before["c"]
    assert {k: v for k, v in after.items() if k != "c"} == {k: v for k, v in before.items() if k != "c"}


def test_adding_a_file_changes_the_hash(recipes):
    before = content_hash("python", root=recipes)
    (recipes / "python" / "sitecustomize.py").write_text("")
    assert content_hash("python", root=recipes) != before


def test_changing_base_changes_every_image(recipes):
    before = hashes(recipes)
    (recipes / "base" / "boxinit.c").write_text("int main(void) { return 1; }\n")
    after = hashes(recipes)
    assert all(after[folder] != before[folder] for folder in before)


def test_executable_bit_counts(recipes):
    before = dir_hash(recipes / "base")
    (recipes / "base" / "boxinit.c").chmod(0o755)
    assert dir_hash(recipes / "base") != before


def test_file_names_count_not_just_contents(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x").write_text("same")
    (tmp_path / "b" / "y").write_text("same")
    assert dir_hash(tmp_path / "a") != dir_hash(tmp_path / "b")


def test_debian_mirror_changes_rootfs_and_every_image(recipes, monkeypatch):
    monkeypatch.delenv("OJ_DEBIAN_MIRROR", raising=False)
    before = (rootfs_hash(), hashes(recipes))
    monkeypatch.setenv("OJ_DEBIAN_MIRROR", "http://mirror.example/debian")
    after = (rootfs_hash(), hashes(recipes))
    assert after[0] != before[0]
    assert all(after[1][folder] != before[1][folder] for folder in before[1])


def test_missing_dockerfile_is_an_error(recipes):
    with pytest.raises(ImageBuildError):
        content_hash("cobol", root=recipes)


def test_shipped_recipes_all_hash():
    assert set(hashes(Path(__file__).resolve().parents[2] / "images")) == {"base", *IMAGES.values()}
