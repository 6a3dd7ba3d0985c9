#!/usr/bin/env bash
# Version drift on generated repositories: every file kind, monorepos, tags,
# in --all, --staged and --diff; fixes applied from the JSON report must give
# back exactly the original bytes.
. "$(dirname "$0")/lib.sh"

# rules REPORT: "rule@path" of every finding, sorted, space-separated.
rules() {
	json_eval "$1" 'd.findings.map(f => f.rule + "@" + f.path).sort().join(" ")'
}

# A consistent project with every kind of version-bearing file at 2.3.0.
make_full() {
	repo=$(new_repo "$1") && cd "$repo" &&
	printf '[project]\nname = "demo"\nversion = "2.3.0"  # release\n' >pyproject.toml &&
	printf '[metadata]\nname = demo\nversion = 2.3.0\n' >setup.cfg &&
	printf 'from setuptools import setup\nsetup(name="demo", version="2.3.0")\n' >setup.py &&
	mkdir -p src/demo && printf '"""Demo."""\n__version__ = "2.3.0"\n' >src/demo/__init__.py &&
	printf '__version__ = "2.3.0"\n' >src/demo/_version.py &&
	printf '{\n  "name": "demo",\n  "version": "2.3.0"\n}\n' >package.json &&
	printf '[package]\nname = "demo"\nversion = "2.3.0"\n' >Cargo.toml &&
	printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo VERSION 2.3.0 LANGUAGES C)\n' >CMakeLists.txt &&
	printf 'AC_INIT([demo], [2.3.0])\n' >configure.ac &&
	printf "project('demo', 'c', version : '2.3.0')\n" >meson.build &&
	printf 'Gem::Specification.new do |s|\n  s.version = "2.3.0"\nend\n' >demo.gemspec &&
	printf '<project>\n  <version>2.3.0</version>\n</project>\n' >pom.xml &&
	printf '2.3.0\n' >VERSION && printf '2.3.0\n' >version.txt &&
	mkdir -p chart && printf 'apiVersion: v2\nname: demo-chart\nversion: 0.1.0\nappVersion: "2.3.0"\n' >chart/Chart.yaml &&
	printf '# Demo\n\n![v](https://img.shields.io/badge/version-2.3.0-blue)\n\nVersion: 2.3.0\n' >README.md &&
	printf '# Changelog\n\n## [2.3.0] - 2026-01-01\n\n- first\n' >CHANGELOG.md &&
	git add -A && git commit -qm "release 2.3.0" && git tag v2.3.0
}

test_expect_success 'a consistent project of every file kind has no drift' '
	make_full full && wm-drift --all --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	wm-drift --staged --format json >out && test "$(json_eval out "d.findings.length")" = 0
'

# Each version-bearing file, changed alone, is caught, and the fix restores its bytes.
for f in setup.cfg setup.py src/demo/__init__.py src/demo/_version.py package.json Cargo.toml \
	CMakeLists.txt configure.ac meson.build demo.gemspec pom.xml VERSION version.txt \
	chart/Chart.yaml README.md; do
	test_expect_success "a drifted $f is caught (--all, --staged) and its fix restores the bytes" '
		cd "$TEST_ROOT/full" && cp '"$f"' orig.bin &&
		sed -i "0,/2\.3\.0/s//2.4.1/" '"$f"' && ! cmp -s '"$f"' orig.bin &&
		expect_exit 1 wm-drift --all --format json >out &&
		rules out | grep -q "version-mismatch@'"$f"'" &&
		git add '"$f"' && expect_exit 1 wm-drift --staged --format json >out2 &&
		rules out2 | grep -q "version-mismatch@'"$f"'" &&
		git reset -q && apply_fixes out version-mismatch && cmp '"$f"' orig.bin &&
		rm orig.bin && git status --porcelain | grep -v "^??" | (! grep .)
	'
done

test_expect_success 'the README badge and "Version:" line are fixed together, nothing else moves' '
	cd "$TEST_ROOT/full" && cp README.md orig.bin && sed -i "s/2\.3\.0/2.2.0/g" README.md &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.path === \"README.md\").length")" = 2 &&
	apply_fixes out && cmp README.md orig.bin && rm orig.bin
'

test_expect_success 'the hook catches a bump of one file staged without the others' '
	repo=$(new_repo hook) && cd "$repo" &&
	printf "[project]\nname = \"h\"\nversion = \"1.0.0\"\n" >pyproject.toml &&
	mkdir h && printf "__version__ = \"1.0.0\"\n" >h/__init__.py &&
	git add -A && git commit -qm one &&
	sed -i "s/1.0.0/1.1.0/" pyproject.toml && git add pyproject.toml &&
	sed -i "s/1.0.0/1.1.0/" h/__init__.py &&
	expect_exit 1 wm-drift --staged --format json >out &&
	test "$(rules out)" = "version-mismatch@h/__init__.py" &&
	test "$(json_eval out "d.findings[0].fix.edits[0].replacement")" = 1.1.0 &&
	wm-drift --all --format json >out2 && test "$(json_eval out2 "d.findings.length")" = 0 &&
	printf "#!/bin/sh\nexec wm-drift --staged\n" >.git/hooks/pre-commit && chmod +x .git/hooks/pre-commit &&
	! git commit -qm "half a bump" && git add h/__init__.py && git commit -qm "whole bump"
'

test_expect_success 'the canonical choice is explained, and version.source overrides it' '
	repo=$(new_repo source) && cd "$repo" &&
	printf "{\"name\": \"s\", \"version\": \"1.0.0\"}\n" >package.json && printf "1.0.1\n" >VERSION &&
	git add -A && git commit -qm one &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(rules out)" = "version-mismatch@VERSION" &&
	json_eval out "d.findings[0].message" | grep -q "primary manifest of this npm package" &&
	printf "version:\n  source: VERSION\n" >.wm.yml &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(rules out)" = "version-mismatch@package.json" &&
	json_eval out "d.findings[0].message" | grep -q "version.source"
'

test_expect_success 'dynamic versions are followed to where the value lives' '
	repo=$(new_repo dynamic) && cd "$repo" &&
	printf "[project]\nname = \"d\"\ndynamic = [\"version\"]\n[tool.setuptools.dynamic]\nversion = {attr = \"d.__version__\"}\n" >pyproject.toml &&
	mkdir -p src/d && printf "__version__ = \"0.9.0\"\n" >src/d/__init__.py &&
	printf "Version: 0.8.0\n" >README.rst && git add -A && git commit -qm one &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(rules out)" = "version-mismatch@README.rst" &&
	json_eval out "d.findings[0].message" | grep -q "src/d/__init__.py"
'

test_expect_success 'npm workspaces: an internal pin that excludes the sibling is caught and retargeted' '
	repo=$(new_repo npmws) && cd "$repo" &&
	printf "{\"name\": \"root\", \"private\": true, \"workspaces\": [\"packages/*\"]}\n" >package.json &&
	mkdir -p packages/core packages/web &&
	printf "{\n  \"name\": \"@x/core\",\n  \"version\": \"2.0.0\"\n}\n" >packages/core/package.json &&
	printf "{\n  \"name\": \"@x/web\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\"@x/core\": \"^1.4.0\", \"left-pad\": \"^1.0.0\"}\n}\n" >packages/web/package.json &&
	git add -A && git commit -qm one &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(rules out)" = "internal-pin@packages/web/package.json" &&
	apply_fixes out && grep -q "\"@x/core\": \"^2.0.0\"" packages/web/package.json &&
	wm-drift --all --format json >out && test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'Cargo workspace: version.workspace is followed, and = pins are checked' '
	repo=$(new_repo cargows) && cd "$repo" &&
	printf "[workspace]\nmembers = [\"a\", \"b\"]\n\n[workspace.package]\nversion = \"0.5.0\"\n" >Cargo.toml &&
	mkdir a b && printf "[package]\nname = \"a\"\nversion.workspace = true\n" >a/Cargo.toml &&
	printf "[package]\nname = \"b\"\nversion = \"0.4.0\"\n\n[dependencies]\na = { version = \"=0.4.0\", path = \"../a\" }\n" >b/Cargo.toml &&
	printf "# a\n\nVersion: 0.4.0\n" >a/README.md &&
	git add -A && git commit -qm one &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(rules out)" = "internal-pin@b/Cargo.toml version-mismatch@a/README.md" &&
	apply_fixes out && grep -q "version = \"=0.5.0\", path" b/Cargo.toml && grep -q "Version: 0.5.0" a/README.md
'

test_expect_success 'Python path dependencies: a sibling pinned out of range is caught' '
	repo=$(new_repo pyws) && cd "$repo" && mkdir -p libs/core app &&
	printf "[project]\nname = \"acme_core\"\nversion = \"3.0.0\"\n" >libs/core/pyproject.toml &&
	printf "[project]\nname = \"acme-app\"\nversion = \"1.0.0\"\ndependencies = [\"acme-core>=2.0,<3\", \"requests\"]\n" >app/pyproject.toml &&
	git add -A && git commit -qm one &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(rules out)" = "internal-pin@app/pyproject.toml" &&
	test "$(json_eval out "d.findings[0].fix")" = null
'

test_expect_success 'tags: a newer tag than the manifest, and a release commit tagged otherwise' '
	repo=$(new_repo tags) && cd "$repo" &&
	printf "{\"name\": \"t\", \"version\": \"1.2.0\"}\n" >package.json && git add -A && git commit -qm one &&
	git tag v1.3.0 &&
	expect_exit 1 wm-drift --all --format json >out && test "$(rules out)" = "tag-mismatch@package.json" &&
	json_eval out "d.findings[0].message" | grep -q "v1.3.0 is newer" &&
	git tag -d v1.3.0 >/dev/null && git tag release-1.2.0 &&
	wm-drift --all --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	printf "version:\n  tag_pattern: release-X.Y.Z\n" >.wm.yml && git add .wm.yml && git commit -qm cfg &&
	git tag release-1.2.1 && expect_exit 1 wm-drift --all --format json >out &&
	json_eval out "d.findings[0].message" | grep -q "newer than version 1.2.0"
'

test_expect_success 'at a release tag, a change of the only version file is restored by the fix' '
	repo=$(new_repo single) && cd "$repo" &&
	printf "[project]\nname = \"one\"\nversion = \"4.0.0\"\n" >pyproject.toml && git add -A && git commit -qm r &&
	git tag 4.0.0 && cp pyproject.toml orig.bin && sed -i "s/4.0.0/4.0.1/" pyproject.toml &&
	expect_exit 1 wm-drift --all --format json >out && test "$(rules out)" = "tag-mismatch@pyproject.toml" &&
	apply_fixes out tag-mismatch && cmp pyproject.toml orig.bin
'

test_expect_success 'changelog-missing: a bump without an entry, per mode, with a stub in the same style' '
	repo=$(new_repo log) && cd "$repo" &&
	printf "{\"name\": \"l\", \"version\": \"1.0.0\"}\n" >package.json &&
	printf "Changes\n=======\n\n1.0.0 / 2026-01-01\n==================\n\n- one\n" >History.md &&
	git add -A && git commit -qm one && git branch base &&
	sed -i "s/1.0.0/1.1.0/" package.json && git add package.json &&
	wm-drift --staged --format json >out &&
	test "$(rules out)" = "changelog-missing@History.md" &&
	git commit -qm bump &&
	wm-drift --diff base --format json >out && test "$(rules out)" = "changelog-missing@History.md" &&
	wm-drift --all --format json >out && test "$(rules out)" = "changelog-missing@History.md" &&
	apply_fixes out && sed -n 4,6p History.md >got &&
	printf "1.1.0\n=====\n\n" >want && cmp got want &&
	wm-drift --all --format json >out && test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'changelog-missing in --staged only when this change bumped the version' '
	repo=$(new_repo log2) && cd "$repo" &&
	printf "[package]\nname = \"c\"\nversion = \"2.0.0\"\n" >Cargo.toml &&
	printf "# Changelog\n\n## 1.0.0\n" >CHANGELOG.md && git add -A && git commit -qm one &&
	printf "x\n" >other.txt && git add other.txt &&
	wm-drift --staged --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	wm-drift --all --format json >out && test "$(rules out)" = "changelog-missing@CHANGELOG.md"
'

test_expect_success 'invalid versions per ecosystem' '
	repo=$(new_repo invalid) && cd "$repo" &&
	printf "{\"name\": \"i\", \"version\": \"1.0\"}\n" >package.json &&
	mkdir py && printf "[project]\nname = \"p\"\nversion = \"1.0.0-SNAPSHOT\"\n" >py/pyproject.toml &&
	git add -A && git commit -qm one &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(rules out)" = "invalid-version@package.json invalid-version@py/pyproject.toml"
'

test_expect_success 'vendored and test-fixture manifests are not the project; version.ignore and suppressions work' '
	repo=$(new_repo foreign) && cd "$repo" &&
	printf "{\"name\": \"f\", \"version\": \"1.0.0\"}\n" >package.json &&
	mkdir -p node_modules/x tests/fixtures/p docs && printf "{\"name\": \"x\", \"version\": \"0.1.0\"}\n" >node_modules/x/package.json &&
	printf "9.9.9\n" >tests/fixtures/p/VERSION && printf "Version: 0.0.1\n" >docs/README.md &&
	printf "Version: 0.0.2\n" >README.md &&
	git add -A -f && git commit -qm one &&
	expect_exit 1 wm-drift --all --format json >out && test "$(rules out)" = "version-mismatch@README.md" &&
	printf "<!-- wm: ignore[version-mismatch] historical -->\nVersion: 0.0.2\n" >README.md &&
	wm-drift --all --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	printf "Version: 0.0.2\n" >README.md && printf "version:\n  ignore: [README.md]\n" >.wm.yml &&
	wm-drift --all --format json >out && test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'version.files adds a file of no known kind' '
	repo=$(new_repo extra) && cd "$repo" &&
	printf "{\"name\": \"e\", \"version\": \"1.0.0\"}\n" >package.json &&
	printf "name: e\nrelease version 0.9.0 (stable)\n" >release.txt &&
	printf "version:\n  files: [release.txt]\n" >.wm.yml && git add -A && git commit -qm one &&
	expect_exit 1 wm-drift --all --format json >out && test "$(rules out)" = "version-mismatch@release.txt" &&
	apply_fixes out && grep -q "release version 1.0.0 (stable)" release.txt
'

test_expect_success 'wm-drift runs only drift; wm-scan runs it too; SARIF output' '
	cd "$TEST_ROOT/full" && printf "2.0.0\n" >VERSION && printf "x = (\n" >broken.py &&
	expect_exit 1 wm-drift --all --format json >out && test "$(rules out)" = "version-mismatch@VERSION" &&
	expect_exit 1 wm-scan --all --only syntax,drift --format json >out2 &&
	test "$(rules out2)" = "syntax-error@broken.py version-mismatch@VERSION" &&
	expect_exit 1 wm-drift --all --format sarif >out.sarif &&
	json_eval out.sarif "d.runs[0].results[0].ruleId" | grep -q version-mismatch &&
	wm-drift --list-rules | grep -q internal-pin &&
	git checkout -q VERSION && rm broken.py
'

test_expect_success 'a private package.json of npm tooling beside CMake is not the version' '
	repo=$(new_repo ctooling) && cd "$repo" &&
	printf "cmake_minimum_required(VERSION 3.20)\nproject(x VERSION 1.2.3 LANGUAGES C)\n" >CMakeLists.txt &&
	printf "{\"name\": \"x-tools\", \"version\": \"0.0.0\", \"private\": true}\n" >package.json &&
	printf "1.2.3\n" >VERSION &&
	git add . && git commit -qm init &&
	wm-drift --all --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	printf "1.2.4\n" >VERSION &&
	expect_exit 1 wm-drift --all --format json >out &&
	test "$(rules out)" = "version-mismatch@VERSION"
'

test_expect_success '--rev checks the named commit against its own tags' '
	repo=$(new_repo revtags) && cd "$repo" &&
	printf "[project]\nname = \"x\"\nversion = \"1.0.0\"\n" >pyproject.toml &&
	git add . && git commit -qm v1 && git tag v1.0.0 &&
	printf "[project]\nname = \"x\"\nversion = \"1.1.0\"\n" >pyproject.toml &&
	git commit -qam "bump" && git tag v1.2.0 &&
	printf "[project]\nname = \"x\"\nversion = \"1.2.0\"\n" >pyproject.toml && git commit -qam "the right version" &&
	wm-drift --rev v1.0.0 --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	wm-drift --all --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	expect_exit 1 wm-drift --rev v1.2.0 --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line).join(\" \")")" = tag-mismatch@pyproject.toml:3 &&
	json_eval out "d.findings[0].message" | grep -q "tag v1.2.0 is newer than version 1.1.0"
'

test_done
