mod fixtures;
use novadesk_charts::*;

#[test]
fn demo_png_written() {
    let spec = fixtures::day_chart(Theme::Light);
    let png = render_png(&spec).unwrap();
    std::fs::write("/tmp/day_light.png", png).unwrap();
    let png = render_png(&fixtures::day_chart(Theme::Dark)).unwrap();
    std::fs::write("/tmp/day_dark.png", png).unwrap();
    let svg = render_svg(&spec).unwrap();
    std::fs::write("/tmp/day_light.svg", svg).unwrap();
}
