// What a reader of index.html and compare.html sees, checked in headless
// Chromium (tests/browser/main.mjs, for tests/t_browser.sh).  Prints one
// line per fact checked; exits 1 on the first that is wrong.
import { readFileSync } from 'node:fs';
import { fail, ok } from './browser.mjs';

const verdicts = ['pass', 'fail', 'xfail', 'xpass', 'skip', 'error'];

export async function checkReports(browser, resultsXml, indexHtml, compareHtml, shotDir, knownFailure) {
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

	const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
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
	const first = await page.$eval('tr.case', tr => ({
		id: tr.dataset.id, verdict: tr.dataset.verdict,
	}));
	if (!first.id.startsWith(knownFailure) || first.verdict !== 'fail')
		fail(`first row is ${first.id} (${first.verdict}), expected a failing ${knownFailure}*`);
	ok(`a known failure is listed first: ${first.id}`);

	// navigation to the page's parts, each link to a part that is there
	const nav = await page.$$eval('#nav a', as => as.map(a => [a.textContent, a.getAttribute('href')]));
	for (const want of ['Problems', 'Known deviations', 'Clauses'])
		if (!nav.some(([text]) => text === want))
			fail(`no "${want}" in the navigation: ${nav.map(n => n[0]).join(', ')}`);
	for (const [text, href] of nav)
		if (!await page.$(href))
			fail(`navigation "${text}" goes to ${href}, which is not on the page`);
	ok(`navigation: ${nav.map(n => n[0]).join(', ')}`);

	// passing rows folded to their line; a click unfolds one
	const visible = sel => page.$$eval(sel, els => els.filter(e => e.offsetParent !== null).length);
	if (await visible('div.area tr.case[data-verdict="pass"] table.eo'))
		fail('passing rows are not folded: their values show');
	if (!await visible('div.area tr.case[data-verdict="fail"] table.eo'))
		fail('a failing row is folded');
	const passRow = page.locator('div.area tr.case[data-verdict="pass"]').first();
	await passRow.click();
	if (!await passRow.locator('table.eo').isVisible())
		fail('clicking a folded passing row does not unfold it');
	await passRow.locator('td.id').click();
	ok('passing rows folded by default, a click unfolds one and its name folds it again');

	// English first: a machine without CJK fonts still reads the clauses
	const firstText = await page.$$eval('table.clauses td div.en, table.clauses td div.zh',
		els => [...new Set(els.map(e => e.parentNode))].map(td => td.firstElementChild.className));
	if (!firstText.length || firstText.some(c => c !== 'en'))
		fail(`a clause shows its Chinese before its English: ${firstText.join(' ')}`);
	ok(`${firstText.length} clauses with their English text first`);

	// words whole: the EXPECTED / OBSERVED heads on one line, pinned keys unbroken
	const eoHeads = await page.$$eval('table.eo tr.head th', ths => ths
		.filter(th => th.offsetParent !== null && th.textContent)
		.map(th => [th.textContent, th.getClientRects()[0].height]));
	if (!eoHeads.length || eoHeads.some(([, h]) => h > 24))
		fail(`a value table head broken over lines: ${JSON.stringify(eoHeads.filter(([, h]) => h > 24))}`);
	const keys = await page.$$eval('table.deviations table.eo tr:not(.head) th', ths => ths.map(th => {
		const range = document.createRange();
		range.selectNodeContents(th);
		const words = th.textContent.split(/\s+/).filter(Boolean);
		return { key: th.textContent, lines: range.getClientRects().length, words: words.length };
	}));
	if (!keys.length || keys.some(k => k.lines > k.words))
		fail(`a pinned key broken inside a word: ${JSON.stringify(keys.filter(k => k.lines > k.words))}`);
	ok(`${eoHeads.length} value table heads on one line, ${keys.length} pinned keys broken at blanks only`);

	// ladder text big enough to read, losses said with the columns' words
	const ladderFont = async () => page.$$eval('svg.ladder', svgs => svgs
		.filter(s => s.getBoundingClientRect().width)
		.map(s => {
			const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
			return Math.min(...[...s.querySelectorAll('text')].map(t =>
				parseFloat(getComputedStyle(t).fontSize) * scale));
		}));
	const lost = await page.$$eval('svg.ladder g.dropped text.lbl', ts => ts.map(t => t.textContent));
	if (lost.some(t => / lost at [cs]$/.test(t)))
		fail(`a loss label says c/s: ${lost.join('; ')}`);
	// the ladder of a check that connects twice: the state under the connection that reached it
	const again = await page.$$eval('tr.case[data-id^="connect.again_after"]', trs => trs.map(tr => ({
		id: tr.dataset.id,
		states: [...tr.querySelectorAll('svg.ladder')].map(s => s.querySelectorAll('g.st').length),
	})));
	for (const a of again)
		if (a.states.length > 1 && (a.states[0] || !a.states[a.states.length - 1]))
			fail(`${a.id}: the states are not under the last connection's ladder: ${a.states}`);
	ok(`losses labelled client/server (${lost.length}); ${again.length} connect.again_after rows ` +
	   'with their state under the second connection');

	// filters hide and show rows
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
	const hiddenAreas = await page.$$eval('div.area', els => els.filter(e => e.hidden).length);
	if (hiddenAreas !== areas.length - 1)
		fail(`area filter "${area}" hides ${hiddenAreas} of ${areas.length} areas`);
	await page.selectOption('#filter-area', '');
	ok(`area filter shows only ${area} (${shown.length} rows), hides the other areas, ` +
	   'and all again');

	// a check's summary once, above its cases
	const heads = await page.$$eval('div.area tbody.check', tbs => tbs.map(tb => ({
		heads: tb.querySelectorAll('tr.check-head').length,
		sums: tb.querySelectorAll('tr.check-head .sum').length,
		cases: [...tb.querySelectorAll('tr.case')].map(tr => tr.dataset.id),
	})));
	for (const h of heads)
		if (h.heads !== 1 || h.sums > 1 || !h.cases.length)
			fail(`check of ${h.cases.join(', ')}: ${h.heads} heads, ${h.sums} summaries`);
	const caseCount = heads.reduce((n, h) => n + h.cases.length, 0);
	if (caseCount !== checks.length)
		fail(`${caseCount} case rows in the areas, results.xml has ${checks.length} checks`);
	ok(`${heads.length} checks, each with one head over its ${caseCount} cases`);

	// values that satisfy their expectation are never red: ranges, bounds
	const ranges = await page.$$eval('tr.case[data-verdict="pass"] table.eo tr', trs => trs
		.map(tr => ({
			exp: tr.querySelector('td.exp')?.textContent || '',
			cls: tr.className,
			color: tr.querySelector('td.obs') ? getComputedStyle(tr.querySelector('td.obs')).color : '',
			id: tr.closest('tr.case').dataset.id,
		}))
		.filter(r => /\.\.|>=|<=/.test(r.exp)));
	if (!ranges.length)
		fail('no passing row with a range or a bound to look at');
	for (const r of ranges)
		if (r.cls === 'failed' || r.color === 'rgb(207, 34, 46)')
			fail(`${r.id}: "${r.exp}" shown as failed on a passing row`);
	const failedRows = await page.$$eval('tr.case[data-verdict="fail"] table.eo tr.failed',
		trs => trs.map(tr => getComputedStyle(tr.querySelector('td.obs')).color));
	if (!failedRows.length || failedRows.some(c => c !== 'rgb(207, 34, 46)'))
		fail(`the failing check's failed values are not red: ${failedRows.join(', ')}`);
	ok(`${ranges.length} ranges and bounds on passing rows not red; ` +
	   `${failedRows.length} failed values red`);

	// the search box, the match count, the state in the URL
	const countText = () => page.textContent('#filter-count');
	await page.fill('#filter-search', knownFailure);
	const found = await page.$$eval('div.area tr.case', els => els
		.filter(e => e.offsetParent !== null).map(e => e.dataset.id));
	const want = checks.filter(c => c.id.includes(knownFailure)).length;
	if (!found.length || found.length !== want || found.some(id => !id.includes(knownFailure)))
		fail(`search "${knownFailure}" shows ${found.join(', ')}, expected ${want} rows`);
	if (await countText() !== `${want} of ${checks.length} checks match`)
		fail(`search: the count says "${await countText()}"`);
	const emptyShown = await page.$$eval('div.area', els => els.filter(e => !e.hidden &&
		!e.querySelector('tr.case:not([hidden])')).length);
	if (emptyShown)
		fail(`${emptyShown} areas without a matching row still shown`);
	await page.uncheck('#filters input[data-verdict="pass"]');
	const url = page.url();
	if (!url.includes('q=') || !url.includes('verdict='))
		fail(`the filter state is not in the URL: ${url}`);
	const view = async p => ({
		rows: await p.$$eval('tr.case', els => els.filter(e => e.offsetParent !== null)
			.map(e => e.dataset.id).join(' ')),
		count: await p.textContent('#filter-count'),
		search: await p.inputValue('#filter-search'),
		pass: await p.isChecked('#filters input[data-verdict="pass"]'),
	});
	const before = await view(page);
	const linked = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
	linked.on('pageerror', e => errors.push(e.message));
	await linked.goto(url);
	const after = await view(linked);
	if (JSON.stringify(after) !== JSON.stringify(before))
		fail(`the link ${url} shows ${JSON.stringify(after)}, not ${JSON.stringify(before)}`);
	await linked.close();
	ok(`search "${knownFailure}": ${want} of ${checks.length} match, empty areas hidden; ` +
	   `the link ${url.slice(url.indexOf('?'))} shows the same view`);
	await page.goto(`file://${indexHtml}`);

	// the run's settings in the environment
	const env = Object.fromEntries(await page.$$eval('#environment tr', trs => trs.map(tr =>
		[tr.querySelector('th').textContent, tr.querySelector('td').textContent])));
	for (const key of ['fault backend', 'jobs', 'timeout', 'deadline scale', 'expectations'])
		if (!env[key] || env[key] === 'not recorded')
			fail(`environment: ${key} is "${env[key]}"`);
	ok(`environment: fault backend "${env['fault backend']}", jobs ${env.jobs}, ` +
	   `timeout ${env.timeout}, deadline scale ${env['deadline scale']}`);

	// a clause chip shows its sentence on hover
	const chip = page.locator('div.area .chip').first();
	await chip.hover();
	const tip = await chip.locator('.tip').innerText();
	if (!(await chip.locator('.tip').isVisible()) || tip.length < 20)
		fail(`hovering a clause chip shows "${tip}"`);
	ok(`a clause chip shows its sentence on hover: "${tip.split('\n')[1] || tip}"`);

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

	// each ladder has a legend of what it draws, the absolute numbers, the states
	const legends = await page.$$eval('svg.ladder', svgs => svgs.map(s => ({
		id: s.closest('tr').id,
		legend: [...(s.parentNode.querySelector('.legend')?.children || [])]
			.map(e => e.className).filter(Boolean),
		kinds: [...new Set([...s.querySelectorAll('g.pk')].map(g => g.classList[1]))],
		abs: s.querySelectorAll('text.abs').length,
		states: s.querySelectorAll('g.st').length,
		// a state whose box is not centred on the client's or the server's column
		between: [...s.querySelectorAll('g.st rect')].filter(r => {
			const middle = +r.getAttribute('x') + +r.getAttribute('width') / 2;
			return ![...s.querySelectorAll('line.col')]
				.some(c => Math.abs(+c.getAttribute('x1') - middle) <= 1);
		}).map(r => r.parentNode.dataset.key),
	})));
	for (const l of legends)
		if (l.kinds.some(k => !l.legend.includes(k)) || (l.states && !l.legend.includes('state')))
			fail(`${l.id}: legend ${l.legend.join(' ')} misses one of ${l.kinds.join(' ')}`);
	const withAbs = legends.filter(l => l.abs).length;
	const withStates = legends.filter(l => l.states).length;
	if (!withAbs || !withStates)
		fail(`${withAbs} ladders with absolute numbers, ${withStates} with TCP states`);
	for (const l of legends)
		if (l.between.length)
			fail(`${l.id}: TCP states under neither side's column: ${l.between.join(', ')}`);
	ok(`${withStates} ladders with TCP states, each under the client's or the server's column`);
	// the table's absolute numbers are the ladder's
	const seqs = await page.$$eval('tr.case[data-id^="handshake.sequence_numbers"]', trs =>
		trs.map(tr => ({
			table: [...tr.querySelectorAll('table.eo tr')].filter(r =>
				/^(syn|synack|ack)\.(seq|ack)$/.test(r.querySelector('th').textContent))
				.map(r => r.querySelector('td.obs').textContent),
			ladder: [...tr.querySelectorAll('svg text.abs')].map(t => t.textContent).join(' '),
		})));
	if (!seqs.length)
		fail('no handshake.sequence_numbers row');
	for (const s of seqs)
		if (!s.table.length || s.table.some(n => !s.ladder.split(' ').includes(n)))
			fail(`sequence numbers ${s.table.join(' ')} not all in the ladder: ${s.ladder}`);
	ok(`${legends.length} ladders with a legend; ${withAbs} with absolute seq/ack (the ` +
	   `table's ${seqs[0].table.length} numbers among them), ${withStates} with TCP states`);

	await page.evaluate(() => document.querySelectorAll('tr.folded').forEach(tr =>
		tr.classList.remove('folded')));
	const wideFont = Math.min(...await ladderFont());
	if (wideFont < 11)
		fail(`ladder text ${wideFont.toFixed(1)} px at 1280 px`);
	await page.evaluate(() => scrollTo(0, 0));
	await page.screenshot({ path: `${shotDir}/index.png`, fullPage: false });
	const firstLadder = await page.$('svg.ladder g.dropped') ? 'svg.ladder:has(g.dropped)' : 'svg.ladder';
	await (await page.$(firstLadder)).scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${shotDir}/index-ladder.png` });

	// 420 px wide: everything reflows, nothing scrolls sideways
	await page.setViewportSize({ width: 420, height: 900 });
	for (const where of ['#summary', '#filters', 'div.area tr.case', firstLadder, 'table.clauses']) {
		await (await page.$(where)).scrollIntoViewIfNeeded();
		const width = await page.evaluate(() => [document.documentElement.scrollWidth,
							  innerWidth]);
		if (width[0] > width[1])
			fail(`at 420 px near ${where}: scrollWidth ${width[0]} > ${width[1]}`);
	}
	const wide = await page.$$eval('tr.case, tr.check-head, table.eo, svg.ladder', els => els
		.filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
		.map(e => e.closest('tr.case')?.dataset.id || e.className));
	if (wide.length)
		fail(`at 420 px wider than the window: ${wide.slice(0, 5).join(', ')}`);
	await (await page.$('#filters')).scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${shotDir}/index-narrow.png` });
	await (await page.$(firstLadder)).scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${shotDir}/index-narrow-ladder.png` });
	const narrowFont = Math.min(...await ladderFont());
	if (narrowFont < 9.5)
		fail(`ladder text ${narrowFont.toFixed(1)} px at 420 px`);
	ok('at 420 px no sideways scrolling: no row, value table or ladder wider than the window; ' +
	   `ladder text at least ${wideFont.toFixed(1)} px at 1280 px, ${narrowFont.toFixed(1)} px at 420 px`);
	await page.setViewportSize({ width: 1280, height: 1000 });

	// the comparison page
	await page.goto(`file://${compareHtml}`);
	const differ = Number(await page.textContent('#count-verdict'));
	const rows = await page.$$eval('tr[data-kind="verdict"]', els => els.map(e => e.dataset.id));
	if (differ < 1 || rows.length !== differ || !rows.every(id => id.startsWith(knownFailure)))
		fail(`compare.html: ${differ} verdicts differ, rows ${rows.join(', ')}`);
	ok(`compare.html lists the ${differ} checks whose verdict differs: ${rows.join(', ')}`);
	await page.screenshot({ path: `${shotDir}/compare.png`, fullPage: true });
	await page.setViewportSize({ width: 420, height: 900 });
	const labels = await page.$eval('tr[data-kind="verdict"]', tr => [...tr.cells]
		.map(td => getComputedStyle(td, '::before').content).filter(c => c !== 'none'));
	if (!labels.some(l => l.includes('A')) || !labels.some(l => l.includes('B')))
		fail(`compare.html at 420 px: the cells do not say A and B: ${labels.join(' ')}`);
	if (await page.evaluate(() => document.documentElement.scrollWidth > innerWidth))
		fail('compare.html at 420 px scrolls sideways');
	await page.screenshot({ path: `${shotDir}/compare-narrow.png` });
	ok(`compare.html at 420 px keeps its labels: ${labels.join(' ')}`);
	await page.setViewportSize({ width: 1280, height: 1000 });

	if (errors.length)
		fail(`page errors or fetches: ${errors.join('; ')}`);
	ok('no script error, nothing fetched from outside the file');
}
