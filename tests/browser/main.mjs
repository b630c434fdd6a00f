// The reports as a person sees them (tests/t_browser.sh), in one Chromium:
//   node main.mjs RESULTS_XML INDEX_HTML COMPARE_HTML SHOT_DIR KNOWN_FAILURE MATRIX_HTML
// index.html and compare.html (check.mjs), then matrix.html (matrix.mjs);
// their screenshots in SHOT_DIR.  Exits 1 on the first fact that is wrong.
import { launch } from './browser.mjs';
import { checkReports } from './check.mjs';
import { checkMatrix } from './matrix.mjs';

const [resultsXml, indexHtml, compareHtml, shotDir, knownFailure, matrixHtml] = process.argv.slice(2);
const browser = await launch();
try {
	await checkReports(browser, resultsXml, indexHtml, compareHtml, shotDir, knownFailure);
	await checkMatrix(browser, matrixHtml, shotDir);
} finally {
	await browser.close();
}
