// The mediator's case page: shows the conversation (polled every second) and sends replies.
// Every text goes into the page as a text node, never as HTML.
"use strict";
(function () {
  const main = document.getElementById("case");
  if (!main) return;
  const caseId = main.dataset.case;
  const csrf = main.dataset.csrf;
  const list = document.getElementById("messages");
  const status = document.getElementById("status");
  const form = document.getElementById("reply");
  const text = document.getElementById("reply-text");
  const LABELS = { person: "Person", assistant: "Assistant", mediator: "Mediator" };
  let shown = "";

  function render(messages) {
    const fingerprint = JSON.stringify(messages);
    if (fingerprint === shown) return;
    shown = fingerprint;
    list.replaceChildren();
    for (const message of messages) {
      const item = document.createElement("li");
      item.className = "from-" + message.from;
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = (LABELS[message.from] || message.from) + (message.who ? " (" + message.who + ")" : "");
      const body = document.createElement("span");
      body.className = "text";
      body.dir = "auto";
      body.textContent = message.text;
      item.append(who, body);
      list.append(item);
    }
    list.lastElementChild && list.lastElementChild.scrollIntoView({ block: "nearest" });
  }

  async function poll() {
    try {
      const response = await fetch("/mediator/cases/" + encodeURIComponent(caseId) + "/messages",
        { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401 || response.status === 403) {
        status.textContent = "Your session has ended. Log in again.";
        return;
      }
      const data = await response.json();
      if (data.error) status.textContent = data.error;
      else {
        status.textContent = "";
        render(data.messages);
      }
    } catch (error) {
      status.textContent = "Connection lost; retrying.";
    }
    setTimeout(poll, 1000);
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    form.querySelector("button").disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ text: value }),
      });
      if (response.ok) {
        text.value = "";
        status.textContent = "Sent.";
      } else {
        status.textContent = "Not sent (" + response.status + "): " + (await response.text());
      }
    } catch (error) {
      status.textContent = "Not sent: connection lost.";
    }
    form.querySelector("button").disabled = false;
  });

  poll();
})();
