//! [`GpuPoints`]: a scatter plot's points drawn by the GPU from a buffer uploaded once per
//! data change, so that a frame of a moving view costs the UI thread one paint callback instead
//! of a pass over every point (`screen.rs`, the CPU path, stays for renderers without OpenGL
//! and for GL versions the shaders do not support).
//!
//! Each point is one `GL_POINTS` vertex (plot x, y and its opaque colour, in draw order, so
//! later points are on top); the vertex shader maps it to the screen with the plot's transform
//! (relative to the view's corner rounded to f32, as the CPU path does) and the fragment shader
//! draws the disc with the CPU path's look: `POINT_RADIUS` points, a one-pixel anti-aliased
//! edge, the plot's opacity, premultiplied "over" blending (egui's blend state, in gamma space).

use std::sync::{Arc, Mutex};

use eframe::egui_glow::{self, ShaderVersion};
use eframe::glow::{self, HasContext};
use egui::{PaintCallback, PaintCallbackInfo, Shape};
use egui_plot::{PlotPoint, PlotTransform};

use super::points::{POINT_RADIUS, PlotData, RankedPoint};

/// Bytes per vertex: x, y (f32) and RGBA8.
const STRIDE: i32 = 12;

const VERTEX_SHADER: &str = r"
uniform vec2 u_corner;
uniform vec2 u_scale;
uniform vec2 u_offset;
uniform float u_ppp;
uniform vec4 u_viewport;
uniform float u_screen_height;
uniform float u_radius;
uniform float u_alpha;
in vec2 a_pos;
in vec4 a_colour;
out vec2 v_centre;
out vec4 v_colour;
void main() {
    vec2 screen = u_offset + (a_pos - u_corner) * u_scale;
    vec2 window = vec2(screen.x * u_ppp, u_screen_height - screen.y * u_ppp);
    v_centre = window;
    v_colour = a_colour * u_alpha;
    gl_Position = vec4((window - u_viewport.xy) / u_viewport.zw * 2.0 - 1.0, 0.0, 1.0);
    gl_PointSize = 2.0 * (u_radius + 1.0);
}
";

const FRAGMENT_SHADER: &str = r"
uniform float u_radius;
in vec2 v_centre;
in vec4 v_colour;
out vec4 f_colour;
void main() {
    float coverage = clamp(u_radius + 0.5 - distance(gl_FragCoord.xy, v_centre), 0.0, 1.0);
    if (coverage <= 0.0) {
        discard;
    }
    f_colour = v_colour * coverage;
}
";

/// Whether `gl` runs the shaders: GLSL 1.40 or ES 3.00 (in/out interface, vertex arrays).
pub fn supported(gl: &glow::Context) -> bool {
    ShaderVersion::get(gl).is_new_shader_interface()
}

/// From plot coordinates to screen points, as the vertex shader computes it: `offset +
/// (p - corner) * scale`, with `corner` the view's lower corner rounded to f32.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct GpuMap {
    pub corner: [f32; 2],
    pub scale: [f32; 2],
    pub offset: [f32; 2],
}

impl GpuMap {
    pub fn new(transform: &PlotTransform) -> GpuMap {
        let b = transform.bounds();
        let corner = [b.min()[0] as f32, b.min()[1] as f32];
        let at = transform
            .position_from_point(&PlotPoint::new(f64::from(corner[0]), f64::from(corner[1])));
        let [dx, dy] = transform.dpos_dvalue();
        GpuMap {
            corner,
            scale: [dx as f32, dy as f32],
            offset: [at.x, at.y],
        }
    }

    /// The screen position (points) of plot point (x, y).
    #[cfg(test)]
    pub fn screen_pos(&self, x: f32, y: f32) -> egui::Pos2 {
        egui::pos2(
            self.offset[0] + (x - self.corner[0]) * self.scale[0],
            self.offset[1] + (y - self.corner[1]) * self.scale[1],
        )
    }
}

/// The GL objects of one plot and the data generation its buffer holds.
struct Gl {
    program: glow::Program,
    vao: glow::VertexArray,
    vbo: glow::Buffer,
    uploaded: Option<u64>,
    count: i32,
    embedded: bool,
}

/// The GL state of one plot: built on the first paint; `failed` says why it could not be.
#[derive(Default)]
struct State {
    gl: Option<Gl>,
    failed: Option<String>,
}

/// Draws one plot's points on the GPU (see the module doc).
#[derive(Clone, Default)]
pub(super) struct GpuPoints {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for GpuPoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpuPoints")
            .field("failed", &self.failed())
            .finish_non_exhaustive()
    }
}

impl GpuPoints {
    /// Why the GPU could not draw the points (the plot then uses the CPU path).
    pub fn failed(&self) -> Option<String> {
        self.state.lock().ok().and_then(|s| s.failed.clone())
    }

    /// The paint callback that draws `data` under `transform` (None when nothing is drawn).
    pub fn shape(&self, data: &PlotData, transform: &PlotTransform) -> Option<Shape> {
        if data.ranked.is_empty() {
            return None;
        }
        let map = GpuMap::new(transform);
        let points = data.ranked.clone();
        let (generation, alpha) = (data.generation, data.alpha);
        let state = self.state.clone();
        let callback = egui_glow::CallbackFn::new(move |info, painter| {
            // A poisoned lock means an earlier paint panicked: draw nothing.
            if let Ok(mut state) = state.lock() {
                state.paint(painter.gl(), &info, &map, &points, (generation, alpha));
            }
        });
        // The viewport reaches past the frame by a disc, so that points just outside still
        // draw their edge (a point is dropped when its centre leaves the viewport); egui's
        // scissor keeps the drawing inside the plot's clip rectangle.
        Some(Shape::Callback(PaintCallback {
            rect: transform.frame().expand(POINT_RADIUS + 1.0),
            callback: Arc::new(callback),
        }))
    }
}

impl State {
    fn paint(
        &mut self,
        gl: &glow::Context,
        info: &PaintCallbackInfo,
        map: &GpuMap,
        points: &[RankedPoint],
        (generation, alpha): (u64, f32),
    ) {
        if self.failed.is_some() {
            return;
        }
        if self.gl.is_none() {
            match Gl::new(gl, POINT_RADIUS * info.pixels_per_point) {
                Ok(objects) => self.gl = Some(objects),
                Err(e) => {
                    eprintln!("latent-compare: points drawn on the CPU: {e}");
                    self.failed = Some(e);
                    return;
                }
            }
        }
        let Some(objects) = &mut self.gl else {
            return;
        };
        // SAFETY (all GL calls): the objects were made by this context, the buffer holds
        // `count` vertices of `STRIDE` bytes, and egui restores its own state after a callback.
        unsafe {
            if objects.uploaded != Some(generation) {
                objects.upload(gl, points);
                objects.uploaded = Some(generation);
            }
            objects.draw(gl, info, map, alpha);
        }
    }
}

impl Gl {
    /// Compiles the program and makes the vertex array; an error when the shaders do not
    /// compile or the implementation's largest point cannot hold a disc of `radius_px`.
    fn new(gl: &glow::Context, radius_px: f32) -> Result<Gl, String> {
        let version = ShaderVersion::get(gl);
        if !version.is_new_shader_interface() {
            return Err(format!(
                "the GL's shading language is too old ({version:?})"
            ));
        }
        // SAFETY: plain object creation on the current context; every object made before an
        // error is deleted.
        unsafe {
            let mut range = [1.0f32; 2];
            gl.get_parameter_f32_slice(glow::ALIASED_POINT_SIZE_RANGE, &mut range);
            let largest = range[1];
            if largest < 2.0 * (radius_px + 1.0) {
                return Err(format!("the GL's largest point is {largest} pixels"));
            }
            let program = gl.create_program()?;
            let header = format!(
                "{}#ifdef GL_ES\nprecision highp float;\n#endif\n",
                version.version_declaration()
            );
            let mut shaders = Vec::new();
            for (kind, source) in [
                (glow::VERTEX_SHADER, VERTEX_SHADER),
                (glow::FRAGMENT_SHADER, FRAGMENT_SHADER),
            ] {
                let shader = gl.create_shader(kind)?;
                gl.shader_source(shader, &format!("{header}{source}"));
                gl.compile_shader(shader);
                if !gl.get_shader_compile_status(shader) {
                    let log = gl.get_shader_info_log(shader);
                    gl.delete_shader(shader);
                    gl.delete_program(program);
                    return Err(format!("a point shader did not compile: {log}"));
                }
                gl.attach_shader(program, shader);
                shaders.push(shader);
            }
            gl.link_program(program);
            for shader in shaders {
                gl.detach_shader(program, shader);
                gl.delete_shader(shader);
            }
            if !gl.get_program_link_status(program) {
                let log = gl.get_program_info_log(program);
                gl.delete_program(program);
                return Err(format!("the point shaders did not link: {log}"));
            }
            let (Some(pos), Some(colour)) = (
                gl.get_attrib_location(program, "a_pos"),
                gl.get_attrib_location(program, "a_colour"),
            ) else {
                gl.delete_program(program);
                return Err("the point shaders lost an attribute".to_owned());
            };
            let vao = gl.create_vertex_array()?;
            let vbo = gl.create_buffer()?;
            gl.bind_vertex_array(Some(vao));
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(vbo));
            gl.enable_vertex_attrib_array(pos);
            gl.vertex_attrib_pointer_f32(pos, 2, glow::FLOAT, false, STRIDE, 0);
            gl.enable_vertex_attrib_array(colour);
            gl.vertex_attrib_pointer_f32(colour, 4, glow::UNSIGNED_BYTE, true, STRIDE, 8);
            gl.bind_vertex_array(None);
            gl.bind_buffer(glow::ARRAY_BUFFER, None);
            Ok(Gl {
                program,
                vao,
                vbo,
                uploaded: None,
                count: 0,
                embedded: version.is_embedded(),
            })
        }
    }

    /// Puts `points` (draw order) into the vertex buffer.
    unsafe fn upload(&mut self, gl: &glow::Context, points: &[RankedPoint]) {
        let mut bytes = Vec::with_capacity(points.len() * STRIDE as usize);
        for p in points {
            bytes.extend_from_slice(&p.x.to_ne_bytes());
            bytes.extend_from_slice(&p.y.to_ne_bytes());
            bytes.extend_from_slice(&p.colour.to_array());
        }
        unsafe {
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(self.vbo));
            gl.buffer_data_u8_slice(glow::ARRAY_BUFFER, &bytes, glow::STATIC_DRAW);
            gl.bind_buffer(glow::ARRAY_BUFFER, None);
        }
        self.count = i32::try_from(points.len()).unwrap_or(i32::MAX);
    }

    /// Draws the buffer's points with `map` into the callback's viewport.
    unsafe fn draw(&self, gl: &glow::Context, info: &PaintCallbackInfo, map: &GpuMap, alpha: f32) {
        let viewport = info.viewport_in_pixels();
        unsafe {
            gl.use_program(Some(self.program));
            let uniform = |name: &str| gl.get_uniform_location(self.program, name);
            gl.uniform_2_f32(uniform("u_corner").as_ref(), map.corner[0], map.corner[1]);
            gl.uniform_2_f32(uniform("u_scale").as_ref(), map.scale[0], map.scale[1]);
            gl.uniform_2_f32(uniform("u_offset").as_ref(), map.offset[0], map.offset[1]);
            gl.uniform_1_f32(uniform("u_ppp").as_ref(), info.pixels_per_point);
            gl.uniform_4_f32(
                uniform("u_viewport").as_ref(),
                viewport.left_px as f32,
                viewport.from_bottom_px as f32,
                viewport.width_px as f32,
                viewport.height_px as f32,
            );
            gl.uniform_1_f32(
                uniform("u_screen_height").as_ref(),
                info.screen_size_px[1] as f32,
            );
            gl.uniform_1_f32(
                uniform("u_radius").as_ref(),
                POINT_RADIUS * info.pixels_per_point,
            );
            gl.uniform_1_f32(uniform("u_alpha").as_ref(), alpha);
            if !self.embedded {
                gl.enable(glow::PROGRAM_POINT_SIZE);
            }
            gl.bind_vertex_array(Some(self.vao));
            gl.draw_arrays(glow::POINTS, 0, self.count);
            gl.bind_vertex_array(None);
            if !self.embedded {
                gl.disable(glow::PROGRAM_POINT_SIZE);
            }
        }
    }
}
