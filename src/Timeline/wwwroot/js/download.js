// Downloads made in the browser: a plot as SVG or PNG (the serialized SVG drawn on a canvas), data as CSV.

import { EMBEDDED_STYLE, NS } from './svg.js';

export function serializeSvg(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // The chart's styles travel inside the file (the page takes them from css/site.css).
  const style = document.createElementNS(NS, 'style');
  style.textContent = EMBEDDED_STYLE;
  copy.prepend(style);
  // Keyboard attributes belong to the page, not to the file.
  for (const n of copy.querySelectorAll('[tabindex]')) n.removeAttribute('tabindex');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadSvg(svg, name) {
  saveBlob(new Blob([serializeSvg(svg)], { type: 'image/svg+xml' }), `${name}.svg`);
}

/** Renders the SVG at `scale` times its size on a canvas and answers a PNG blob. */
export function svgToPng(svg, scale = 2) {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([serializeSvg(svg)], { type: 'image/svg+xml' }));
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = width * scale;
      canvas.height = height * scale;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The canvas gave no PNG.'))), 'image/png');
    };
    image.onerror = () => { URL.revokeObjectURL(url); reject(new Error('The SVG could not be drawn as an image.')); };
    image.src = url;
  });
}

export async function downloadPng(svg, name) {
  saveBlob(await svgToPng(svg), `${name}.png`);
}

/** CSV with a header row; missing values are NA, which R's read.csv and pandas' read_csv both read as missing. */
export function toCsv(rows, columns = rows.length ? Object.keys(rows[0]) : []) {
  const cell = (v) => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return 'NA';
    if (typeof v === 'boolean') return v ? '1' : '0';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

export function downloadCsv(rows, name, columns) {
  saveBlob(new Blob([toCsv(rows, columns)], { type: 'text/csv' }), `${name}.csv`);
}
