//! A virtual X display (Xvfb) for running the desktop program where there is no screen.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

/// A running Xvfb server, stopped when dropped.
#[derive(Debug)]
pub struct VirtualDisplay {
    child: Child,
    pub display: String,
}

impl VirtualDisplay {
    /// Starts Xvfb on the first free display number from :90.
    pub fn start() -> Result<Self> {
        for n in 90..140 {
            if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let child = Command::new("Xvfb")
                .args([
                    format!(":{n}"),
                    "-screen".into(),
                    "0".into(),
                    "1280x860x24".into(),
                    "-nolisten".into(),
                    "tcp".into(),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            let socket = format!("/tmp/.X11-unix/X{n}");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if Path::new(&socket).exists() {
                    return Ok(VirtualDisplay { child, display: format!(":{n}") });
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let mut child = child;
            let _ = child.kill();
            let _ = child.wait();
        }
        bail!("could not start Xvfb on any display from :90 to :139")
    }

    /// Saves a screenshot of the whole display.
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        crate::util::run(Command::new("import").args(["-display", &self.display, "-window", "root"]).arg(path))
    }

    /// The whole display's pixels (ImageMagick's `import` writing a binary PPM to stdout).
    pub fn capture(&self) -> Result<Pixels> {
        // ImageMagick's default depth is 16 bits a channel; ask for 8.
        let out = Command::new("import")
            .args(["-display", &self.display, "-window", "root", "-depth", "8", "ppm:-"])
            .output()?;
        if !out.status.success() {
            bail!("import could not read display {}: {}", self.display, String::from_utf8_lossy(&out.stderr).trim());
        }
        Pixels::from_ppm(&out.stdout)
    }

    /// Waits, up to `limit`, until the login card is painted (see [`Pixels::login_painted`]),
    /// polling the screen; answers how long it took from `since`, or `None` if it never was.
    pub fn wait_login_painted(&self, since: Instant, limit: Duration) -> Result<Option<Duration>> {
        let deadline = Instant::now() + limit;
        loop {
            if self.capture()?.login_painted() {
                return Ok(Some(since.elapsed()));
            }
            if Instant::now() > deadline {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A screen's pixels, RGB, row by row.
pub struct Pixels {
    pub width: usize,
    pub height: usize,
    rgb: Vec<u8>,
}

impl Pixels {
    /// Reads a binary PPM (P6, 8 bits a channel), as `import … ppm:-` writes it.
    pub fn from_ppm(bytes: &[u8]) -> Result<Self> {
        // The header is four whitespace-separated fields (P6, width, height, maxval), then one
        // whitespace byte and the pixels; `#` comments may sit between fields.
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) == Some(&b'#') {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if start == i {
                bail!("the screenshot is not a whole PPM image");
            }
            fields.push(std::str::from_utf8(&bytes[start..i])?.to_owned());
        }
        if fields[0] != "P6" || fields[3] != "255" {
            bail!("the screenshot is a {} image with depth {}, not an 8-bit PPM", fields[0], fields[3]);
        }
        let (width, height): (usize, usize) = (fields[1].parse()?, fields[2].parse()?);
        let rgb = bytes.get(i + 1..i + 1 + width * height * 3).map(<[u8]>::to_vec);
        let Some(rgb) = rgb else { bail!("the screenshot's pixels are cut short") };
        Ok(Pixels { width, height, rgb })
    }

    /// Whether the login card is on screen: a white card (at least 5% of the screen) and, inside
    /// the white area's bounds, the blue 登录 button (at least 3,000 pixels) and dark text (at
    /// least 300 pixels). WebKit's unpainted window is one flat grey or white, which has neither;
    /// a half-painted one has the card without them. Dark pixels outside the card (the black
    /// screen around a smaller window) do not count.
    pub fn login_painted(&self) -> bool {
        let at = |x: usize, y: usize| {
            let i = (y * self.width + x) * 3;
            (i32::from(self.rgb[i]), i32::from(self.rgb[i + 1]), i32::from(self.rgb[i + 2]))
        };
        let (mut white, mut x0, mut y0, mut x1, mut y1) = (0usize, usize::MAX, usize::MAX, 0, 0);
        for y in 0..self.height {
            for x in 0..self.width {
                let (r, g, b) = at(x, y);
                if r >= 250 && g >= 250 && b >= 250 {
                    white += 1;
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                }
            }
        }
        if white * 20 < self.width * self.height {
            return false;
        }
        let (mut blue, mut dark) = (0usize, 0usize);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let (r, g, b) = at(x, y);
                if b >= 100 && b >= r + 50 {
                    blue += 1;
                } else if r.max(g).max(b) < 90 {
                    dark += 1;
                }
            }
        }
        blue >= 3_000 && dark >= 300
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Pixels;

    fn ppm(width: usize, height: usize, paint: impl Fn(usize, usize) -> [u8; 3]) -> Vec<u8> {
        let mut out = format!("P6\n# made by a test\n{width} {height}\n255\n").into_bytes();
        for y in 0..height {
            for x in 0..width {
                out.extend(paint(x, y));
            }
        }
        out
    }

    #[test]
    fn an_empty_grey_window_is_not_a_painted_login() {
        let grey = Pixels::from_ppm(&ppm(400, 300, |_, _| [240, 242, 245])).unwrap();
        assert!(!grey.login_painted());
        let white = Pixels::from_ppm(&ppm(400, 300, |_, _| [255, 255, 255])).unwrap();
        assert!(!white.login_painted(), "a white card without its button and text is not painted yet");
        // A blank card and button in a window smaller than the screen, black around it: the
        // black is not the card's text.
        let blank = Pixels::from_ppm(&ppm(400, 300, |x, y| match (x, y) {
            (350.., _) | (_, 280..) => [0, 0, 0],
            (100..=300, 200..=230) => [58, 119, 160],
            (80..=320, 40..=260) => [255, 255, 255],
            _ => [240, 242, 245],
        }))
        .unwrap();
        assert!(!blank.login_painted(), "no text on the card yet");
    }

    #[test]
    fn a_card_with_its_button_and_text_is_painted() {
        // A white card on grey, with a blue button and a line of dark text in it.
        let shot = ppm(400, 300, |x, y| match (x, y) {
            (100..=300, 200..=230) => [58, 119, 160],
            (120..=280, 60..=64) => [30, 30, 30],
            (80..=320, 40..=260) => [255, 255, 255],
            _ => [240, 242, 245],
        });
        let pixels = Pixels::from_ppm(&shot).unwrap();
        assert_eq!((pixels.width, pixels.height), (400, 300));
        assert!(pixels.login_painted());
    }

    #[test]
    fn a_cut_image_is_refused() {
        let mut shot = ppm(10, 10, |_, _| [0, 0, 0]);
        shot.truncate(shot.len() - 5);
        assert!(Pixels::from_ppm(&shot).is_err());
        assert!(Pixels::from_ppm(b"P3\n1 1\n255\n0 0 0").is_err());
    }
}
