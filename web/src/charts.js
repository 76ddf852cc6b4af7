// Bar charts drawn from the page's own tables. The server renders every figure as a table (the
// accessible alternative, which stays visible); this only adds a picture of the same numbers.
//
// A figure.chart holds a table[data-chart="bar"] and an empty, hidden div.chart-area:
//   thead th[data-series]        the series names (their text)
//   tbody th[scope=row]          one row label per row
//   tbody td[data-cents]         integer cents; the i-th in a row belongs to the i-th series
// The canvas gets role="img" and an aria-label from the figcaption and the figure's
// data-alt-text, which says where the same numbers can be read.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { euroFormatter, localeOf, parseCents } from './money.js';

// Only what a grouped bar chart needs, so that the bundle leaves the rest of Chart.js out.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/**
 * Okabe and Ito's colour-blind-safe palette, in the order that keeps neighbouring bars apart in
 * lightness too. Each bar also gets a dark outline, so every bar stands out from the white
 * background by at least 3:1 (WCAG 1.4.11), whatever its fill.
 */
const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00'];
const OUTLINE_COLOUR = '#1f2328';
const TEXT_COLOUR = '#1f2328';
const GRID_COLOUR = '#d0d7de';
//! The same stack as app.css: the reader's own fonts, nothing fetched.
const FONT_FAMILY =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

function textOf(element) {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The labels and series of a table, or null when the table does not follow the contract (then
 * no chart is drawn: a wrong picture is worse than none, and the table is there anyway).
 */
export function readBarTable(table) {
  const names = [...table.querySelectorAll('thead th[data-series]')].map(textOf);
  const rows = [...table.querySelectorAll('tbody tr')].filter((row) =>
    row.querySelector('th[scope=row]'),
  );
  if (names.length === 0 || rows.length === 0) return null;
  const series = names.map((name) => ({ name, cents: [] }));
  const labels = [];
  for (const row of rows) {
    const cells = [...row.querySelectorAll('td[data-cents]')];
    if (cells.length !== names.length) return null;
    const cents = cells.map((cell) => parseCents(cell.dataset.cents));
    if (cents.includes(null)) return null;
    labels.push(textOf(row.querySelector('th[scope=row]')));
    cents.forEach((value, position) => series[position].cents.push(value));
  }
  return { labels, series };
}

let defaultsSet = false;

//! Text in the page's colour and fonts; set once, before the first chart.
function setDefaults() {
  if (defaultsSet) return;
  Chart.defaults.font.family = FONT_FAMILY;
  // Chart.js's 12px is small for axis labels that must be read; 14px matches the tables better.
  Chart.defaults.font.size = 14;
  Chart.defaults.color = TEXT_COLOUR;
  defaultsSet = true;
}

function chartOptions(format) {
  return {
    animation: false,
    responsive: true,
    // The chart area's height comes from the stylesheet, so narrow screens get tall enough bars.
    maintainAspectRatio: false,
    scales: {
      x: { grid: { display: false } },
      y: {
        beginAtZero: true,
        ticks: { callback: (value) => format(value) },
        grid: { color: GRID_COLOUR },
      },
    },
    plugins: {
      legend: { position: 'top' },
      tooltip: {
        callbacks: { label: (item) => `${item.dataset.label}: ${format(item.parsed.y)}` },
      },
    },
  };
}

function drawChart(figure, table, format) {
  const area = figure.querySelector('div.chart-area');
  const data = readBarTable(table);
  if (!area || !data) return null;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  const caption = textOf(figure.querySelector('figcaption'));
  const alt = figure.getAttribute('data-alt-text');
  canvas.setAttribute('aria-label', alt ? `${caption} (${alt.trim()})` : caption);
  area.replaceChildren(canvas);
  area.hidden = false;
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: data.series.map((series, position) => ({
        label: series.name,
        // Cents to euros for the scale only; labels are formatted from these by Intl.
        data: series.cents.map((cents) => cents / 100),
        backgroundColor: SERIES_COLOURS[position % SERIES_COLOURS.length],
        borderColor: OUTLINE_COLOUR,
        borderWidth: 1,
      })),
    },
    options: chartOptions(format),
  });
}

/** Draws a chart for every figure.chart table[data-chart="bar"] on the page; returns them. */
export function initCharts() {
  const tables = document.querySelectorAll('figure.chart table[data-chart="bar"]');
  if (tables.length === 0) return [];
  setDefaults();
  const format = euroFormatter(localeOf(document.documentElement.lang));
  const charts = [];
  for (const table of tables) {
    const chart = drawChart(table.closest('figure.chart'), table, format);
    if (chart) charts.push(chart);
  }
  return charts;
}
