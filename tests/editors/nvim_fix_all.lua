-- Neovim (0.7 or later) as a dockerfix language-server client, headless:
--   DOCKERFIX_SERVER='["python","-m","dockerfix","server"]' DOCKERFIX_FILE=Dockerfile \
--     nvim --headless -u NONE -c 'luafile tests/editors/nvim_fix_all.lua'
-- Opens the file, waits for the server's diagnostics and prints them (row:col-row:col code,
-- 0-based as Neovim keeps them), then applies the fix-all code action and prints the
-- buffer. Uses only the API of Neovim 0.7 (Debian 12's): vim.lsp.start_client.
local function out(text) io.stdout:write(text .. "\n") end

local cmd = vim.fn.json_decode(vim.env.DOCKERFIX_SERVER)
local file = vim.env.DOCKERFIX_FILE
vim.cmd("edit " .. vim.fn.fnameescape(file))
vim.bo.filetype = "dockerfile"
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = "dockerfix", cmd = cmd, root_dir = vim.fn.fnamemodify(file, ":p:h") })
vim.lsp.buf_attach_client(buf, id)

if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
  out("no diagnostics")
  vim.cmd("cquit 1")
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  out(string.format("diagnostic %d:%d-%d:%d %s", d.lnum, d.col, d.end_lnum, d.end_col, tostring(d.code)))
end

local client = vim.lsp.get_client_by_id(id)
local last = vim.api.nvim_buf_line_count(buf)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
  context = { diagnostics = {}, only = { "source.fixAll" } },
}
local response = client.request_sync("textDocument/codeAction", params, 10000, buf)
local actions = response and response.result or {}
for _, action in ipairs(actions) do
  out("action " .. action.title)
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
end
out("-- buffer")
for _, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do out(line) end
vim.lsp.stop_client(id)
vim.cmd("qa!")
