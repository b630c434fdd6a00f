/* The CSS the pages start with: one palette, so a verdict has one colour
 * wherever it is shown; and the head every page opens with. */
#include "style.h"
#include "writer.h"

const char nc_css_base[] =
	":root{--pass:#1a7f37;--fail:#cf222e;--error:#82071e;--xfail:#b76e00;"
	"--xpass:#8250df;--skip:#6e7781;--line:#d8dee4;--muted:#59636e;--soft:#f6f8fa}\n"
	"[hidden]{display:none!important}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;color:#1f2328;background:#fff;font:14px/1.45 system-ui,-apple-system,"
	"\"Segoe UI\",Roboto,\"Noto Sans\",\"Noto Sans CJK SC\",\"PingFang SC\","
	"\"Microsoft YaHei\",sans-serif}\n"
	".page{max-width:1440px;margin:0 auto;padding:20px 24px 40px}\n"
	"@media (max-width:600px){.page{padding:12px 10px 28px}}\n"
	"h1{font-size:22px;margin:0}\n"
	"h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;"
	"border-bottom:1px solid var(--line)}\n"
	"code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\","
	"monospace;font-size:12.5px}\n"
	".sub{color:var(--muted);margin:2px 0 14px}\n"
	".v-pass{--c:var(--pass)}.v-fail{--c:var(--fail)}.v-error{--c:var(--error)}"
	".v-xfail{--c:var(--xfail)}.v-xpass{--c:var(--xpass)}.v-skip{--c:var(--skip)}\n"
	".summary{display:flex;flex-wrap:wrap;gap:8px}\n"
	".tile{flex:1 1 0;min-width:110px;border:1px solid var(--line);"
	"border-top:4px solid var(--c);border-radius:6px;padding:6px 12px}\n"
	".tile .count{display:block;font-size:26px;font-weight:650;line-height:1.2;"
	"color:var(--c)}\n"
	".tile.zero .count{color:#afb8c1}.tile .label{font-size:12px;color:var(--muted)}\n"
	".badge{display:inline-block;min-width:42px;padding:1px 7px;border-radius:10px;"
	"text-align:center;font-size:12px;font-weight:600;color:#fff;background:var(--c);"
	"white-space:nowrap}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{text-align:left;vertical-align:top;padding:5px 8px;"
	"border-bottom:1px solid var(--line)}\n"
	"thead th{background:var(--soft);font-size:12px;font-weight:600;color:var(--muted)}\n";

void nc_page_start(struct nc_xml *x, const char *title, const char *css, const char *more_css)
{
	nc_xml_start(x, "html");
	nc_xml_attr(x, "xmlns", "http://www.w3.org/1999/xhtml");
	nc_xml_attr(x, "lang", "en");
	nc_xml_raw(x, "\n");
	nc_xml_start(x, "head");
	nc_xml_start(x, "meta");
	nc_xml_attr(x, "charset", "utf-8");
	nc_xml_end(x);
	nc_xml_start(x, "meta");
	nc_xml_attr(x, "name", "viewport");
	nc_xml_attr(x, "content", "width=device-width, initial-scale=1");
	nc_xml_end(x);
	nc_xml_element(x, "title", title);
	nc_xml_start(x, "style");
	nc_xml_raw(x, css);
	if (more_css)
		nc_xml_raw(x, more_css);
	nc_xml_end_full(x);
	nc_xml_end_full(x);
	nc_xml_raw(x, "\n");
}
