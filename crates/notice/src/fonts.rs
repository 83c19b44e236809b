//! Finding and loading the open-licence CJK fonts that fill each GB/T 9704 font role.
//!
//! GB/T 9704-2012 names four typefaces: 小标宋 for the title, 仿宋 for the body, 黑体 for first-level
//! headings and 楷体 for second-level headings. The usual Windows fonts for these roles (方正小标宋,
//! 仿宋_GB2312, 黑体, 楷体_GB2312) are proprietary, so Qingfeng fills each role with an open-licence
//! font instead, preferring, for each role, the closest font that is actually installed:
//!
//! | role | preferred (first found wins) | Debian package | licence |
//! |---|---|---|---|
//! | 标题 小标宋 | Noto Serif CJK SC **Bold** (a heavy Song face, the closest open match) | `fonts-noto-cjk` | OFL-1.1 |
//! | 正文 仿宋 | 朱雀仿宋 (Zhuque Fangsong) if its file is in the font directory; otherwise Noto Serif CJK SC Regular | — / `fonts-noto-cjk` | OFL-1.1 |
//! | 一级标题 黑体 | Noto Sans CJK SC Bold | `fonts-noto-cjk` | OFL-1.1 |
//! | 二级标题 楷体 | LXGW WenKai (霞鹜文楷); otherwise AR PL UKai | `fonts-lxgw-wenkai` / `fonts-arphic-ukai` | OFL-1.1 / Arphic |
//!
//! Why these: Noto CJK is complete for GB 18030's common characters (no tofu in names), is already on
//! the project's setup list for the desktop program, and is licensed under the OFL, which allows
//! shipping it with the program. No open 仿宋 is packaged by Debian (cwTeX 仿宋 covers traditional
//! characters only), so the body falls back to the Song face of the same family, which is how
//! offices without 仿宋_GB2312 print today; as soon as a 朱雀仿宋 file is dropped into the bundled
//! font directory it takes the body role. The substitution is never silent: [`FontSet::roles`]
//! reports which family fills each role so the program can show it.
//!
//! A role whose fonts are all missing is an error naming the font and the package to install, never
//! a fallback to whatever font happens to be there (which would print tofu boxes).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::Mmap;
use serde::Serialize;
use typst::foundations::Bytes;
use typst::text::Font;

use crate::error::{NoticeError, Result};

/// Environment variable naming an extra directory searched first for font files (the bundled
/// font directory of an installed program, or a test's private directory).
pub const FONT_DIR_ENV: &str = "QINGFENG_FONT_DIR";

/// The four typeface roles of GB/T 9704-2012 (and the page number, which uses the Song face).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FontRole {
    /// 小标宋: the title.
    Title,
    /// 仿宋: body text, the document number, signature, date and page numbers.
    Body,
    /// 黑体: first-level headings (一、).
    Heading,
    /// 楷体: second-level headings (（一）).
    Subheading,
}

impl FontRole {
    /// Every role, in the order they are resolved.
    pub const ALL: [FontRole; 4] = [FontRole::Title, FontRole::Body, FontRole::Heading, FontRole::Subheading];

    /// The role's Chinese name as officers know it, used in error messages.
    pub fn name_zh(self) -> &'static str {
        match self {
            FontRole::Title => "标题（小标宋）",
            FontRole::Body => "正文（仿宋）",
            FontRole::Heading => "一级标题（黑体）",
            FontRole::Subheading => "二级标题（楷体）",
        }
    }
}

/// One acceptable font for a role: a file name to look for and the family and weight it must hold.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    file: &'static str,
    family: &'static str,
    weight: u16,
}

const fn c(file: &'static str, family: &'static str, weight: u16) -> Candidate {
    Candidate { file, family, weight }
}

const TITLE: &[Candidate] = &[
    c("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", 700),
    c("NotoSerifCJKsc-Bold.otf", "Noto Serif CJK SC", 700),
    c("NotoSerifSC-Bold.otf", "Noto Serif SC", 700),
];
const BODY: &[Candidate] = &[
    c("ZhuqueFangsong-Regular.ttf", "Zhuque Fangsong (technical preview)", 400),
    c("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", 400),
    c("NotoSerifCJKsc-Regular.otf", "Noto Serif CJK SC", 400),
    c("NotoSerifSC-Regular.otf", "Noto Serif SC", 400),
];
const HEADING: &[Candidate] = &[
    c("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", 700),
    c("NotoSansCJKsc-Bold.otf", "Noto Sans CJK SC", 700),
    c("NotoSansSC-Bold.otf", "Noto Sans SC", 700),
];
const SUBHEADING: &[Candidate] =
    &[c("LXGWWenKai-Regular.ttf", "LXGW WenKai", 400), c("ukai.ttc", "AR PL UKai CN", 400)];

/// Candidates per role, best first. File names cover Debian's packages and the upstream releases
/// (which may be bundled with the program).
fn candidates(role: FontRole) -> &'static [Candidate] {
    match role {
        FontRole::Title => TITLE,
        FontRole::Body => BODY,
        FontRole::Heading => HEADING,
        FontRole::Subheading => SUBHEADING,
    }
}

/// What to install when a role has no font, in the words an administrator can act on.
fn install_hint(role: FontRole) -> &'static str {
    match role {
        FontRole::Title | FontRole::Body | FontRole::Heading => {
            "请联系本单位信息管理人员安装“思源/Noto CJK”字体（软件包 fonts-noto-cjk）"
        }
        FontRole::Subheading => "请联系本单位信息管理人员安装“霞鹜文楷”字体（软件包 fonts-lxgw-wenkai）",
    }
}

/// Which font fills a role, as reported to the program (and used by the layout).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleFont {
    /// The role.
    pub role: FontRole,
    /// The font family name Typst selects.
    pub family: String,
    /// The weight (400 regular, 700 bold).
    pub weight: u16,
    /// The file it came from.
    pub path: PathBuf,
}

/// The fonts for every role, loaded once (the slow part: about 0.2 s for the Noto files).
///
/// The files are mapped, not read: the Noto collections are 19–27 MB each (about 90 MB for the
/// four roles), and a copy on the heap stayed in the desktop program's memory for the rest of the
/// day after its first notice. A mapping's pages are the kernel's page cache, read in as Typst
/// touches them; [`FontSet::release_pages`] lets them go again after a render.
#[derive(Debug, Clone)]
pub struct FontSet {
    roles: Vec<RoleFont>,
    fonts: Vec<Font>,
    maps: Vec<Arc<Mmap>>,
}

/// A mapped font file as Typst's bytes (which need `AsRef<[u8]>`); the `Arc` is shared with
/// [`FontSet`] so it can release the pages.
struct Mapped(Arc<Mmap>);

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Maps a font file read-only.
#[allow(unsafe_code)]
fn map_file(path: &Path) -> std::io::Result<Mmap> {
    let file = std::fs::File::open(path)?;
    // SAFETY: a mapping is undefined behaviour if the file is truncated or written while mapped.
    // These are installed font files, which nothing here writes; package managers replace them by
    // writing a new file and renaming it over the old name, which leaves this mapping's inode whole.
    unsafe { Mmap::map(&file) }
}

impl FontSet {
    /// The directories searched, in order: `$QINGFENG_FONT_DIR`, a `fonts` directory next to the
    /// executable (where an installer puts bundled fonts), then the system font directories.
    pub fn default_dirs() -> Vec<PathBuf> {
        let mut dirs = Vec::new();
        if let Some(d) = std::env::var_os(FONT_DIR_ENV) {
            dirs.push(PathBuf::from(d));
        }
        if let Some(exe_dir) = std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf)) {
            dirs.push(exe_dir.join("fonts"));
        }
        for d in ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "C:\\Windows\\Fonts"] {
            dirs.push(PathBuf::from(d));
        }
        if let Some(home) = std::env::var_os("HOME") {
            dirs.push(PathBuf::from(&home).join(".local/share/fonts"));
            dirs.push(PathBuf::from(home).join(".fonts"));
        }
        dirs
    }

    /// Finds and loads the fonts from [`FontSet::default_dirs`].
    pub fn discover() -> Result<FontSet> {
        FontSet::from_dirs(&FontSet::default_dirs())
    }

    /// Finds and loads the fonts from the given directories (searched recursively, in order).
    /// Fails with [`NoticeError::FontMissing`] naming the first role none of whose fonts exist.
    pub fn from_dirs(dirs: &[PathBuf]) -> Result<FontSet> {
        let mut files = Vec::new();
        for dir in dirs {
            collect_files(dir, 0, &mut files);
        }
        let mut roles = Vec::new();
        let mut fonts: Vec<Font> = Vec::new();
        let mut loaded: Vec<PathBuf> = Vec::new();
        let mut maps = Vec::new();
        for role in FontRole::ALL {
            let found = candidates(role).iter().find_map(|cand| {
                files.iter().find(|p| p.file_name().is_some_and(|n| n == cand.file)).map(|p| (cand, p.clone()))
            });
            let Some((cand, path)) = found else {
                let wanted: Vec<&str> = candidates(role).iter().map(|c| c.family).collect();
                return Err(NoticeError::FontMissing {
                    role: role.name_zh(),
                    wanted: dedup(wanted).join("、"),
                    hint: install_hint(role),
                });
            };
            if !loaded.contains(&path) {
                let map = Arc::new(
                    map_file(&path)
                        .map_err(|e| NoticeError::FontUnreadable { path: path.clone(), reason: e.to_string() })?,
                );
                maps.push(map.clone());
                // A collection holds the SC, TC, JP, KR and HK faces; keep only the family we use so
                // Typst cannot pick a Japanese or Korean glyph shape for a Chinese character.
                let faces: Vec<Font> = Font::iter(Bytes::new(Mapped(map)))
                    .filter(|f| f.info().family.eq_ignore_ascii_case(cand.family))
                    .collect();
                if faces.is_empty() {
                    return Err(NoticeError::FontUnreadable {
                        path: path.clone(),
                        reason: format!("文件中没有“{}”字体", cand.family),
                    });
                }
                fonts.extend(faces);
                loaded.push(path.clone());
            }
            roles.push(RoleFont { role, family: cand.family.to_owned(), weight: cand.weight, path });
        }
        let set = FontSet { roles, fonts, maps };
        // Reading the faces' tables above touched parts of each file.
        set.release_pages();
        Ok(set)
    }

    /// Lets the kernel take back the font files' pages this process has touched. Typst hashes a
    /// font's whole file on its first use, so after a render every page of every font was in the
    /// process's memory; they stay in the page cache (shared, and dropped first when memory is
    /// short), and the next render maps back in only the pages it reads.
    #[allow(unsafe_code)]
    pub fn release_pages(&self) {
        for map in &self.maps {
            // SAFETY: the mapping is read-only and backed by the file, so dropping its pages loses
            // nothing: the next read faults the same bytes back in from the file. No reference into
            // it is lost either; only the pages go, not the mapping.
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }

    /// Which family fills each role, so the program can show a substitution (e.g. Song for 仿宋).
    pub fn roles(&self) -> &[RoleFont] {
        &self.roles
    }

    /// The font filling a role.
    pub fn role(&self, role: FontRole) -> &RoleFont {
        // Every role is resolved by the constructor, so the lookup cannot fail.
        self.roles.iter().find(|r| r.role == role).unwrap_or(&self.roles[0])
    }

    pub(crate) fn fonts(&self) -> &[Font] {
        &self.fonts
    }

    /// The first character of `text` that the role's font cannot draw, if any. Typst is told not
    /// to fall back to other fonts, so such a character would print as an empty box.
    pub(crate) fn first_missing_glyph(&self, role: FontRole, text: &str) -> Option<char> {
        let rf = self.role(role);
        let faces: Vec<&Font> = self
            .fonts
            .iter()
            .filter(|f| {
                f.info().family.eq_ignore_ascii_case(&rf.family) && f.info().variant.weight.to_number() == rf.weight
            })
            .collect();
        text.chars()
            .filter(|ch| !ch.is_whitespace() && !ch.is_control())
            .find(|ch| !faces.iter().any(|f| f.info().coverage.contains(*ch as u32)))
    }
}

fn dedup(mut v: Vec<&str>) -> Vec<&str> {
    let mut seen = Vec::new();
    v.retain(|x| {
        let new = !seen.contains(x);
        seen.push(*x);
        new
    });
    v
}

/// Lists font files under `dir`; depth-limited because font trees are shallow and a symlink loop
/// must not hang the program.
fn collect_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 6 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    // Sorted so the same machine always picks the same file.
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_files(&path, depth + 1, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"))
        {
            out.push(path);
        }
    }
}
