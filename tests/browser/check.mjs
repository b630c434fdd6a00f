// What a reader of index.html and compare.html sees, checked in headless
// Chromium (tests/t_browser.sh):
//   node check.mjs RESULTS_XML INDEX_HTML COMPARE_HTML SHOT_DIR KNOWN_FAILURE
// Prints one line per fact checked; exits 1 on the first that is wrong.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [resultsXml, indexHtml, compareHtml, shotDir, knownFailure] = process.argv.slice(2);
const verdicts = ['pass', 'fail', 'xfail', 'xpass', 'skip', 'error'];

function fail(what) {
	console.error(`FAILED: ${what}`);
	process.exit(1);
}
function ok(what) {
	console.log(`ok  ${what}`);
}

// The facts of the results file, read without a browser.
const xml = readFileSync(resultsXml, 'utf8');
const checks = [...xml.matchAll(/<check id="([^"]+)" area="([^"]+)" verdict="([^"]+)"/g)]
	.map(m => ({ id: m[1], area: m[2], verdict: m[3] }));
const withPackets = new Set();
for (const block of xml.split('<check ').slice(1)) {
	const id = /^id="([^"]+)"/.exec(block)[1];
	if (block.includes('<packet '))
		withPackets.add(id);
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
	       '--disable-component-update', '--disable-sync'],
});
try {
	const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
	const errors = [];
	page.on('pageerror', e => errors.push(e.message));
	page.on('request', r => { if (!r.url().startsWith('file:')) errors.push(`fetch ${r.url()}`); });
	await page.goto(`file://${indexHtml}`);

	// the summary counts are the results file's
	for (const v of verdicts) {
		const want = checks.filter(c => c.verdict === v).length;
		const got = Number(await page.textContent(`#count-${v}`));
		if (got !== want)
			fail(`summary count ${v} = ${got}, results.xml has ${want}`);
	}
	ok(`summary counts equal results.xml (${checks.length} checks)`);

	// the known failure is first of the page's check rows
	const first = await page.$eval('tr[data-verdict]', tr => ({
		id: tr.querySelector('td.id code').textContent, verdict: tr.dataset.verdict,
	}));
	if (!first.id.startsWith(knownFailure) || first.verdict !== 'fail')
		fail(`first row is ${first.id} (${first.verdict}), expected a failing ${knownFailure}*`);
	ok(`a known failure is listed first: ${first.id}`);

	// filters hide and show rows
	const visible = sel => page.$$eval(sel, els => els.filter(e => e.offsetParent !== null).length);
	const passRows = await visible('tr[data-verdict="pass"]');
	if (!passRows)
		fail('no pass row visible before filtering');
	await page.uncheck('#filters input[data-verdict="pass"]');
	if (await visible('tr[data-verdict="pass"]') !== 0)
		fail('unchecking "pass" leaves pass rows visible');
	if (!await visible('tr[data-verdict="fail"]'))
		fail('unchecking "pass" hid the failures too');
	await page.check('#filters input[data-verdict="pass"]');
	if (await visible('tr[data-verdict="pass"]') !== passRows)
		fail('checking "pass" again does not show every pass row');
	ok(`verdict filter hides and shows ${passRows} pass rows`);
	const areas = [...new Set(checks.map(c => c.area))];
	const area = areas[areas.length - 1];
	await page.selectOption('#filter-area', area);
	const shown = await page.$$eval('tr[data-area]', els => els
		.filter(e => e.offsetParent !== null).map(e => e.dataset.area));
	if (!shown.length || shown.some(a => a !== area))
		fail(`area filter "${area}" shows rows of ${[...new Set(shown)].join(', ')}`);
	await page.selectOption('#filter-area', '');
	ok(`area filter shows only ${area} (${shown.length} rows), and all again`);

	// every ladder has its packets, every captured check its ladder
	const ladders = await page.$$eval('svg.ladder', svgs => svgs.map(s => ({
		want: Number(s.dataset.packets), got: s.querySelectorAll('g.pk').length,
		arrows: s.querySelectorAll('g.pk line, g.pk polygon').length,
		id: s.closest('tr').id,
	})));
	if (!ladders.length)
		fail('no ladder diagram on the page');
	for (const l of ladders)
		if (!l.want || l.got !== l.want || l.arrows < l.got)
			fail(`${l.id}: ladder with ${l.got} packets drawn, data-packets ${l.want}`);
	for (const id of withPackets)
		if (!ladders.some(l => l.id === `check-${id}`))
			fail(`check ${id} has packets in results.xml but no ladder`);
	const dropped = await page.$$eval('svg.ladder g.pk.dropped', els => els.length);
	ok(`${ladders.length} ladder diagrams, each with its packets; ${withPackets.size} ` +
	   `captured checks all drawn; ${dropped} dropped packets marked`);

	await page.screenshot({ path: `${shotDir}/index.png`, fullPage: false });
	const firstLadder = await page.$('svg.ladder g.dropped') ? 'svg.ladder:has(g.dropped)' : 'svg.ladder';
	await (await page.$(firstLadder)).scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${shotDir}/index-ladder.png` });

	// the comparison page
	await page.goto(`file://${compareHtml}`);
	const differ = Number(await page.textContent('#count-verdict'));
	const rows = await page.$$eval('tr[data-kind="verdict"]', els => els.map(e => e.dataset.id));
	if (differ < 1 || rows.length !== differ || !rows.every(id => id.startsWith(knownFailure)))
		fail(`compare.html: ${differ} verdicts differ, rows ${rows.join(', ')}`);
	ok(`compare.html lists the ${differ} checks whose verdict differs: ${rows.join(', ')}`);
	await page.screenshot({ path: `${shotDir}/compare.png`, fullPage: true });

	if (errors.length)
		fail(`page errors or fetches: ${errors.join('; ')}`);
	ok('no script error, nothing fetched from outside the file');
} finally {
	await browser.close();
}
