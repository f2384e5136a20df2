//! The schedule heatmap as an image: weekday rows × hour-of-day columns, each cell coloured by run minutes and
//! labelled with its run count, drawn into a PNG by Doberman itself (no font or library on the server: the text is
//! drawn with a subset of Noto Sans CJK KR embedded in the binary, `assets/fonts/heatmap.otf`). Its words (the
//! weekdays, the legend) are in the current language, from the catalogs (`airflow-heatmap-*`).

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use crate::t;

/// Every character the image writes, in every language; `assets/fonts/subset.py` makes the embedded font of
/// exactly these (a test checks the catalogs' words against it).
pub const GLYPHS: &str = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%()+,-./:·×–월화수목금토일실행분시간숫자횟";

const FONT: &[u8] = include_bytes!("../../assets/fonts/heatmap.otf");

/// A weekday's label, 0 = Monday: `Mon` / `월`.
fn weekday(day: usize) -> String {
    t!("airflow-heatmap-weekday", day = day)
}

/// The legend beside the colour ramp: `68 run minutes · number: runs` / `실행 시간 68분 · 숫자: 실행 횟수`.
fn legend(max_minutes: i64) -> String {
    t!("airflow-heatmap-legend", max = max_minutes)
}

/// Image size.
pub const WIDTH: u32 = 960;
/// Image size.
pub const HEIGHT: u32 = 368;
const LEFT: u32 = 100;
const TOP: u32 = 36;
const CELL_W: u32 = 35;
const CELL_H: u32 = 40;
const GAP: u32 = 2;

/// One cell: the runs in progress (or started) in that hour of that weekday, and their run minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell {
    /// Runs.
    pub runs: i64,
    /// Run minutes.
    pub minutes: f64,
}

/// The grid: `cells[weekday][hour]`, weekday 0 = Monday, hours 0–23 local.
pub type Grid = [[Cell; 24]; 7];

/// Colour ramp from a quiet hour to the busiest (yellow to deep red, as Superset's and most heatmaps read).
const RAMP: [[u8; 3]; 8] = [
    [255, 247, 204],
    [254, 228, 152],
    [254, 196, 79],
    [254, 153, 41],
    [236, 112, 20],
    [204, 76, 2],
    [153, 52, 4],
    [102, 37, 6],
];
const EMPTY: [u8; 3] = [241, 241, 244];
const INK: [u8; 3] = [36, 36, 36];
const SUBTLE: [u8; 3] = [110, 110, 118];
const BACKGROUND: [u8; 3] = [255, 255, 255];

/// The colour of `minutes` on a scale up to `max` (square root, so quieter hours still show).
fn shade(minutes: f64, max: f64) -> [u8; 3] {
    if minutes <= 0.0 || max <= 0.0 {
        return EMPTY;
    }
    let t = (minutes / max).clamp(0.0, 1.0).sqrt();
    let i = ((t * (RAMP.len() - 1) as f64).round() as usize).min(RAMP.len() - 1);
    RAMP[i]
}

struct Canvas {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    font: FontRef<'static>,
}

impl Canvas {
    fn new(width: u32, height: u32) -> Canvas {
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        for _ in 0..width * height {
            rgb.extend_from_slice(&BACKGROUND);
        }
        Canvas {
            width,
            height,
            rgb,
            font: FontRef::try_from_slice(FONT).expect("the embedded font parses"),
        }
    }

    fn blend(&mut self, x: i64, y: i64, color: [u8; 3], alpha: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let i = ((y as u32 * self.width + x as u32) * 3) as usize;
        let a = alpha.clamp(0.0, 1.0);
        for (pixel, target) in self.rgb[i..i + 3].iter_mut().zip(color) {
            let old = f32::from(*pixel);
            *pixel = (old + (f32::from(target) - old) * a).round() as u8;
        }
    }

    fn rect(&mut self, x: u32, y: u32, w: u32, h: u32, color: [u8; 3]) {
        for yy in y..(y + h).min(self.height) {
            for xx in x..(x + w).min(self.width) {
                let i = ((yy * self.width + xx) * 3) as usize;
                self.rgb[i..i + 3].copy_from_slice(&color);
            }
        }
    }

    /// The width of `text` at `size` px.
    fn measure(&self, text: &str, size: f32) -> f32 {
        let font = self.font.as_scaled(PxScale::from(size));
        text.chars().map(|c| font.h_advance(font.glyph_id(c))).sum()
    }

    /// Writes `text` with its baseline's left end at (`x`, `baseline`).
    fn text(&mut self, text: &str, x: f32, baseline: f32, size: f32, color: [u8; 3]) {
        let scale = PxScale::from(size);
        let mut pen = x;
        for c in text.chars() {
            let id = self.font.as_scaled(scale).glyph_id(c);
            let glyph = id.with_scale_and_position(scale, ab_glyph::point(pen, baseline));
            pen += self.font.as_scaled(scale).h_advance(id);
            if let Some(outlined) = self.font.outline_glyph(glyph) {
                let bounds = outlined.px_bounds();
                let mut coverage = Vec::new();
                outlined.draw(|gx, gy, c| coverage.push((gx, gy, c)));
                for (gx, gy, c) in coverage {
                    self.blend(
                        bounds.min.x as i64 + i64::from(gx),
                        bounds.min.y as i64 + i64::from(gy),
                        color,
                        c,
                    );
                }
            }
        }
    }

    /// Writes `text` centred on `cx`.
    fn centered(&mut self, text: &str, cx: f32, baseline: f32, size: f32, color: [u8; 3]) {
        let w = self.measure(text, size);
        self.text(text, cx - w / 2.0, baseline, size, color);
    }

    fn png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_compression(png::Compression::High);
            let mut writer = encoder
                .write_header()
                .expect("a PNG header into memory cannot fail");
            writer
                .write_image_data(&self.rgb)
                .expect("a PNG into memory cannot fail");
        }
        out
    }
}

/// A short count for a cell: `7`, `85`, `999`, `1k`, `12k` (the exact figure is in the alt text and the card).
fn short(n: i64) -> String {
    if n >= 1_000 {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// Draws `grid` as a PNG (`WIDTH` × `HEIGHT`): hours across, weekdays down, each cell's colour its run minutes and
/// its number its runs; a legend under it names the scale, in the current language. Text is large: Teams shows
/// the image at about half its width in a chat.
pub fn render(grid: &Grid) -> Vec<u8> {
    let mut canvas = Canvas::new(WIDTH, HEIGHT);
    let max = grid
        .iter()
        .flatten()
        .map(|c| c.minutes)
        .fold(0.0_f64, f64::max);
    for hour in 0..24u32 {
        let cx = (LEFT + hour * CELL_W) as f32 + CELL_W as f32 / 2.0;
        canvas.centered(&format!("{hour}"), cx, (TOP - 10) as f32, 19.0, SUBTLE);
    }
    for (day, row) in grid.iter().enumerate() {
        let y = TOP + day as u32 * CELL_H;
        canvas.text(
            &weekday(day),
            6.0,
            y as f32 + CELL_H as f32 / 2.0 + 7.0,
            21.0,
            INK,
        );
        for (hour, cell) in row.iter().enumerate() {
            let x = LEFT + hour as u32 * CELL_W;
            let color = shade(cell.minutes, max);
            canvas.rect(x, y, CELL_W - GAP, CELL_H - GAP, color);
            if cell.runs > 0 {
                let dark = color[0] as u32 + color[1] as u32 + color[2] as u32 <= 380;
                let ink = if dark { BACKGROUND } else { INK };
                canvas.centered(
                    &short(cell.runs),
                    (x + (CELL_W - GAP) / 2) as f32,
                    y as f32 + (CELL_H - GAP) as f32 / 2.0 + 6.5,
                    18.0,
                    ink,
                );
            }
        }
    }
    // The legend: the ramp from 0 to the busiest cell's minutes.
    let ly = TOP + 7 * CELL_H + 12;
    canvas.text("0", LEFT as f32, (ly + 17) as f32, 18.0, SUBTLE);
    let bar_x = LEFT + 16;
    for (i, color) in RAMP.iter().enumerate() {
        canvas.rect(bar_x + i as u32 * 20, ly + 2, 20, 18, *color);
    }
    let after = bar_x + RAMP.len() as u32 * 20 + 8;
    let top = legend(max.round() as i64);
    canvas.text(&top, after as f32, (ly + 17) as f32, 18.0, SUBTLE);
    canvas.png()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_the_image_writes_is_in_the_embedded_font() {
        let font = FontRef::try_from_slice(FONT).expect("font");
        for c in GLYPHS.chars() {
            assert_ne!(font.glyph_id(c).0, 0, "{c:?} has no glyph");
        }
        for lang in crate::i18n::Lang::ALL {
            let written: String = crate::i18n::sync_scope(lang, || {
                (0..7).map(weekday).collect::<String>() + &legend(1_234_567) + "1234567890 12k"
            });
            for c in written.chars() {
                assert!(
                    GLYPHS.contains(c),
                    "{c:?} is written in {lang} but not in GLYPHS"
                );
            }
        }
    }

    #[test]
    fn the_image_is_a_png_of_its_size_and_busier_cells_are_darker() {
        let mut grid: Grid = [[Cell::default(); 24]; 7];
        grid[0][2] = Cell {
            runs: 40,
            minutes: 900.0,
        };
        grid[4][23] = Cell {
            runs: 3,
            minutes: 30.0,
        };
        let png_bytes = render(&grid);
        let decoder = png::Decoder::new(std::io::Cursor::new(&png_bytes));
        let mut reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        reader.next_frame(&mut buf).expect("pixels");
        let at = |day: u32, hour: u32| {
            // A corner of the cell, clear of its number.
            let (x, y) = (LEFT + hour * CELL_W + 2, TOP + day * CELL_H + 2);
            let i = ((y * WIDTH + x) * 3) as usize;
            [buf[i], buf[i + 1], buf[i + 2]]
        };
        let sum = |c: [u8; 3]| c.iter().map(|v| u32::from(*v)).sum::<u32>();
        assert_eq!(at(0, 2), RAMP[RAMP.len() - 1], "the busiest cell");
        assert!(sum(at(4, 23)) > sum(at(0, 2)), "a quieter cell is lighter");
        assert_eq!(at(3, 12), EMPTY, "an hour with no run");
        assert!(png_bytes.len() < 40_000, "{} bytes", png_bytes.len());
    }
}
