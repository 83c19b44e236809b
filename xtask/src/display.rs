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
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
