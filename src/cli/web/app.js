// app.js - the editor of `bulletin serve`: opens an issue of the folder,
// renders its text on each pause in typing (POST /api/render) and shows the
// SVG pages, marks the line of an error with its message (keeping the last
// good preview), lists warnings, saves with the ETag the text was read with,
// downloads the PDF. Requests carry the token in the cookie the page set.
"use strict";

const PAUSE_MS = 300;
const LAYOUT_NAMES = { zhuanbao: "专报", jianbao: "简报", gongwen: "公文" };

const $ = (id) => document.getElementById(id);
const ui = {
  text: $("text"), backdrop: $("backdrop"), gutter: $("gutter-lines"), callout: $("callout"),
  files: $("file-list"), noFiles: $("no-files"), folder: $("folder"), docName: $("doc-name"),
  saveState: $("save-state"), save: $("save"), pdf: $("pdf"), layout: $("layout"),
  pages: $("pages"), pageCount: $("page-count"), renderState: $("render-state"),
  stale: $("stale-note"), diagSummary: $("diag-summary"), diagList: $("diag-list"),
};

const state = {
  name: null,        // the issue open, e.g. "jianbao-2024-03.txt"
  etag: null,        // the ETag its text was read or saved with
  saved: "",         // the text as on disk
  timer: 0,
  seq: 0,            // the newest render asked for; older answers are ignored
  diagnostics: [],   // of the newest answered render
  urls: [],          // object URLs of the pages shown
};

// ---- talking to the server ------------------------------------------------

async function api(method, path, body, headers) {
  const r = await fetch(path, { method, body, headers, credentials: "same-origin", cache: "no-store" });
  let json = null;
  if ((r.headers.get("Content-Type") || "").startsWith("application/json")) {
    json = await r.json();
  }
  return { status: r.status, ok: r.ok, json, response: r };
}

function issuePath(name) {
  return "/api/issues/" + encodeURIComponent(name);
}

function layoutQuery(prefix) {
  const l = ui.layout.value;
  return l ? prefix + "layout=" + encodeURIComponent(l) : "";
}

// ---- the file list and the layouts ----------------------------------------

async function loadFiles() {
  const r = await api("GET", "/api/issues");
  if (!r.ok) return;
  ui.folder.textContent = r.json.dir;
  ui.folder.title = r.json.dir;
  ui.files.textContent = "";
  for (const issue of r.json.issues) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = issue.name;
    b.title = issue.name;
    b.dataset.name = issue.name;
    b.addEventListener("click", () => openIssue(issue.name));
    li.appendChild(b);
    ui.files.appendChild(li);
  }
  ui.noFiles.hidden = r.json.issues.length > 0;
  markCurrentFile();
}

function markCurrentFile() {
  for (const b of ui.files.querySelectorAll("button")) {
    b.setAttribute("aria-current", b.dataset.name === state.name ? "true" : "false");
  }
}

async function loadLayouts() {
  const r = await api("GET", "/api/layouts");
  if (!r.ok) return;
  for (const name of r.json.shipped) {
    const o = document.createElement("option");
    o.value = name;
    o.textContent = (LAYOUT_NAMES[name] ? LAYOUT_NAMES[name] + " " : "") + "(" + name + ")";
    ui.layout.appendChild(o);
  }
  for (const file of r.json.local) {
    const o = document.createElement("option");
    o.value = file;
    o.textContent = file + "（本文件夹）";
    ui.layout.appendChild(o);
  }
}

// ---- opening and saving ----------------------------------------------------

function dirty() {
  return state.name !== null && ui.text.value !== state.saved;
}

async function openIssue(name) {
  if (name === state.name) return;
  if (dirty() && !confirm("“" + state.name + "”有未保存的修改。放弃这些修改吗？")) return;
  const r = await api("GET", issuePath(name));
  if (!r.ok) {
    alert("无法打开 " + name + "：" + (r.json ? r.json.error : r.status));
    return;
  }
  const text = await r.response.text();
  state.name = name;
  state.etag = r.response.headers.get("ETag");
  state.saved = text;
  state.diagnostics = [];
  ui.text.disabled = false;
  ui.text.value = text;
  ui.text.scrollTop = 0;
  ui.docName.textContent = name;
  document.title = name + " — bulletin 简报编辑";
  history.replaceState(null, "", "#" + encodeURIComponent(name));
  clearPages();
  markCurrentFile();
  updateState();
  decorate();
  renderNow();
}

async function save(overwrite) {
  if (!state.name) return false;
  const text = ui.text.value;
  ui.saveState.textContent = "保存中…";
  const r = await api("PUT", issuePath(state.name), text, {
    "Content-Type": "text/plain; charset=utf-8",
    "If-Match": overwrite ? "*" : state.etag,
  });
  if (r.ok) {
    state.etag = r.json.etag;
    state.saved = text;
    updateState();
    return true;
  }
  if (r.status === 409) {
    const keep = confirm("“" + state.name + "”在别处被修改过。\n\n" +
      "确定：用这里的文本覆盖它。\n取消：重新载入文件（放弃这里的修改）。");
    if (keep) return save(true);
    const name = state.name;
    state.name = null;
    state.saved = ui.text.value;
    await openIssue(name);
    return false;
  }
  updateState();
  alert("保存失败：" + (r.json ? r.json.error : "HTTP " + r.status));
  return false;
}

function updateState() {
  const d = dirty();
  ui.save.disabled = !state.name || !d;
  ui.saveState.textContent = !state.name ? "" : d ? "● 有未保存的修改" : "已保存";
  ui.saveState.classList.toggle("dirty", d);
  if (state.name) {
    ui.pdf.href = "/api/issues/" + encodeURIComponent(state.name.replace(/\.txt$/, ".pdf")) +
      layoutQuery("?");
    ui.pdf.setAttribute("aria-disabled", "false");
    ui.pdf.title = d ? "下载 PDF（已保存的版本；有未保存的修改）" : "下载 PDF";
  }
}

// ---- rendering --------------------------------------------------------------

function scheduleRender() {
  clearTimeout(state.timer);
  state.timer = setTimeout(renderNow, PAUSE_MS);
}

async function renderNow() {
  clearTimeout(state.timer);
  if (!state.name) return;
  const seq = ++state.seq;
  ui.renderState.textContent = "排版中…";
  let r;
  try {
    r = await api("POST", "/api/render?name=" + encodeURIComponent(state.name) + layoutQuery("&"),
      ui.text.value, { "Content-Type": "text/plain; charset=utf-8" });
  } catch (e) {
    if (seq === state.seq) ui.renderState.textContent = "无法连接 bulletin serve";
    return;
  }
  if (seq !== state.seq || r.status === 409) return; // a newer render is on its way
  if (!r.json) {
    ui.renderState.textContent = "排版失败（HTTP " + r.status + "）";
    return;
  }
  if (!r.ok) {
    state.diagnostics = [{ file: state.name, line: 0, col: 0, severity: "error",
      message: r.json.error || "HTTP " + r.status }];
  } else {
    state.diagnostics = r.json.diagnostics;
  }
  if (r.ok && r.json.ok) {
    showPages(r.json.pages);
    ui.renderState.textContent = "已更新";
  } else {
    ui.renderState.textContent = "有错误";
  }
  const failed = !(r.ok && r.json.ok);
  ui.stale.hidden = !failed || state.urls.length === 0;
  ui.pages.classList.toggle("stale", failed);
  showDiagnostics();
  decorate();
}

function clearPages() {
  for (const u of state.urls) URL.revokeObjectURL(u);
  state.urls = [];
  ui.pages.textContent = "";
  ui.pageCount.textContent = "";
  ui.stale.hidden = true;
}

function showPages(svgs) {
  const old = state.urls;
  const frag = document.createDocumentFragment();
  state.urls = svgs.map((svg) => URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })));
  state.urls.forEach((url, i) => {
    const page = document.createElement("div");
    page.className = "page";
    const img = document.createElement("img");
    img.src = url;
    img.alt = "第 " + (i + 1) + " 页";
    img.width = 595;
    img.height = 842;
    const label = document.createElement("div");
    label.className = "label";
    label.textContent = "第 " + (i + 1) + " 页 / 共 " + svgs.length + " 页";
    page.append(img, label);
    frag.appendChild(page);
  });
  const scroll = ui.pages.scrollTop;
  ui.pages.textContent = "";
  ui.pages.appendChild(frag);
  ui.pages.scrollTop = scroll;
  ui.pageCount.textContent = "共 " + svgs.length + " 页";
  for (const u of old) URL.revokeObjectURL(u);
}

// ---- diagnostics --------------------------------------------------------------

function where(d) {
  const file = d.file && d.file !== state.name ? d.file + " " : "";
  if (!d.line) return file || "—";
  return file + "第 " + d.line + " 行" + (d.col ? "第 " + d.col + " 列" : "");
}

function showDiagnostics() {
  const errors = state.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = state.diagnostics.length - errors;
  const parts = [];
  if (errors) parts.push(errors + " 个错误");
  if (warnings) parts.push(warnings + " 个警告");
  ui.diagSummary.textContent = parts.length ? parts.join("，") : "无错误";
  ui.diagSummary.parentElement.classList.toggle("has-error", errors > 0);
  ui.diagList.textContent = "";
  for (const d of state.diagnostics) {
    const li = document.createElement("li");
    li.className = d.severity;
    const w = document.createElement("span");
    w.className = "where";
    w.textContent = where(d);
    const k = document.createElement("span");
    k.className = "kind";
    k.textContent = d.severity === "error" ? "错误" : "警告";
    const m = document.createElement("span");
    m.className = "message";
    m.textContent = d.message;
    li.append(w, k, m);
    if (d.line && d.file === state.name) li.addEventListener("click", () => jumpTo(d.line, d.col));
    ui.diagList.appendChild(li);
  }
}

// Puts the caret at line:col (col in characters, as the server counts).
function jumpTo(line, col) {
  const lines = ui.text.value.split("\n");
  let off = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i].length + 1;
  const chars = Array.from(lines[line - 1] || "").slice(0, Math.max(0, (col || 1) - 1));
  off += chars.join("").length;
  ui.text.focus();
  ui.text.setSelectionRange(off, off);
  const div = ui.backdrop.children[line - 1];
  if (div) ui.text.scrollTop = Math.max(0, div.offsetTop - ui.text.clientHeight / 3);
  syncScroll();
}

// ---- the editor's decorations: line numbers, marked lines, the callout ----

let decoratePending = false;

function decorate() {
  if (decoratePending) return;
  decoratePending = true;
  requestAnimationFrame(() => {
    decoratePending = false;
    drawDecorations();
  });
}

function drawDecorations() {
  const lines = ui.text.value.split("\n");
  const marks = new Map(); // line -> the first diagnostic on it (errors first)
  for (const d of state.diagnostics) {
    if (d.line && d.file === state.name && (!marks.has(d.line) || d.severity === "error")) {
      if (!marks.has(d.line) || marks.get(d.line).severity !== "error") marks.set(d.line, d);
    }
  }
  const frag = document.createDocumentFragment();
  lines.forEach((text, i) => {
    const div = document.createElement("div");
    div.textContent = text || "\u200b";
    const m = marks.get(i + 1);
    if (m) {
      div.className = m.severity;
      div.dataset.line = String(i + 1);
    }
    frag.appendChild(div);
  });
  ui.backdrop.textContent = "";
  ui.backdrop.appendChild(frag);
  // Line numbers at the top of each (possibly wrapped) line.
  const nums = document.createDocumentFragment();
  Array.from(ui.backdrop.children).forEach((div, i) => {
    const n = document.createElement("div");
    n.textContent = String(i + 1);
    n.style.top = div.offsetTop + "px";
    const m = marks.get(i + 1);
    if (m) {
      n.className = m.severity;
      n.title = m.message;
      n.dataset.line = String(i + 1);
    }
    nums.appendChild(n);
  });
  ui.gutter.textContent = "";
  ui.gutter.appendChild(nums);
  syncScroll();
}

function firstError() {
  return state.diagnostics.find((d) => d.severity === "error" && d.line && d.file === state.name);
}

function syncScroll() {
  ui.backdrop.scrollTop = ui.text.scrollTop;
  ui.gutter.style.transform = "translateY(" + -ui.text.scrollTop + "px)";
  const e = firstError();
  const div = e && ui.backdrop.children[e.line - 1];
  if (!div) {
    ui.callout.hidden = true;
    return;
  }
  ui.callout.textContent = "第 " + e.line + " 行：" + e.message;
  ui.callout.dataset.line = String(e.line);
  const top = div.offsetTop + div.offsetHeight - ui.text.scrollTop + 2;
  ui.callout.style.top = top + "px";
  ui.callout.hidden = top < 0 || top > ui.text.clientHeight - 10;
}

// ---- start -------------------------------------------------------------------

function start() {
  // The token is in the cookie now: keep it out of the address bar and history.
  if (location.search.includes("token=")) history.replaceState(null, "", "/" + location.hash);
  ui.text.addEventListener("input", () => {
    updateState();
    decorate();
    scheduleRender();
  });
  ui.text.addEventListener("scroll", syncScroll);
  window.addEventListener("resize", decorate);
  ui.callout.addEventListener("click", () => {
    const e = firstError();
    if (e) jumpTo(e.line, e.col);
  });
  ui.layout.addEventListener("change", () => {
    updateState();
    renderNow();
  });
  ui.save.addEventListener("click", () => save(false));
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") {
      e.preventDefault();
      if (dirty()) save(false);
    }
  });
  ui.pdf.addEventListener("click", async (e) => {
    if (!dirty()) return;
    e.preventDefault();
    if (confirm("PDF 按已保存的文件排版。先保存这里的修改吗？")) {
      if (await save(false)) location.href = ui.pdf.href;
    } else {
      location.href = ui.pdf.href;
    }
  });
  window.addEventListener("beforeunload", (e) => {
    if (dirty()) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  ui.pages.innerHTML = '<p class="empty">选择一个文件，这里显示排好的页面。</p>';
  Promise.all([loadLayouts(), loadFiles()]).then(() => {
    const want = decodeURIComponent(location.hash.slice(1));
    if (want) openIssue(want);
  });
}

start();
