/* The chat page: mounts rasa-webchat and adds what it lacks (language, right-to-left, labels,
 * discreet mode, clearing the chat from this device). Served by bot/web/chat.py; the config
 * (language, texts, Rasa's address) comes from the page's JSON block. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("chat-config").textContent);
  var texts = config.texts;
  var STORAGE_KEY = "chat_session"; // where rasa-webchat keeps the session id and the messages
  var params = new URLSearchParams(window.location.search);
  var widget = null;
  var languageJustChosen = params.has("switched");

  function pageUrl(language, discreet, extra) {
    var query = new URLSearchParams({ lang: language });
    if (discreet) query.set("discreet", "1");
    Object.keys(extra || {}).forEach(function (key) { query.set(key, extra[key]); });
    return "/?" + query.toString();
  }

  function forgetFlag(name) {
    params.delete(name);
    var query = params.toString();
    window.history.replaceState(null, "", "/" + (query ? "?" + query : ""));
  }

  function clearStoredChat() {
    [window.localStorage, window.sessionStorage].forEach(function (storage) {
      try { storage.removeItem(STORAGE_KEY); } catch (ignored) { /* storage disabled */ }
    });
  }

  // Discreet mode keeps the chat in sessionStorage (gone with the tab); normal mode in
  // localStorage. Switching carries the conversation over and leaves nothing behind.
  function moveConversation(discreet) {
    var from = discreet ? window.localStorage : window.sessionStorage;
    var to = discreet ? window.sessionStorage : window.localStorage;
    try {
      var stored = from.getItem(STORAGE_KEY);
      if (stored !== null && to.getItem(STORAGE_KEY) === null) to.setItem(STORAGE_KEY, stored);
      from.removeItem(STORAGE_KEY);
    } catch (ignored) { /* storage disabled: nothing to move */ }
  }

  function hasConversation() {
    var storage = config.discreet ? window.sessionStorage : window.localStorage;
    try { return storage.getItem(STORAGE_KEY) !== null; } catch (ignored) { return false; }
  }

  function announce(text) {
    document.getElementById("status").textContent = text;
  }

  // rasa-webchat has no labels, no direction handling and no live region: add them as it renders.
  function improve(root) {
    var log = root.querySelector(".rw-messages-container");
    if (log && !log.hasAttribute("role")) {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", texts.conversation);
      log.setAttribute("tabindex", "0");
    }
    // On the innermost text only: dir="auto" ignores the text of descendants that have a dir of their own.
    root.querySelectorAll(".rw-message-text, .rw-reply").forEach(function (element) {
      if (!element.hasAttribute("dir")) element.setAttribute("dir", "auto");
    });
    var input = root.querySelector(".rw-new-message");
    if (input && !input.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", texts.message);
      input.setAttribute("dir", config.direction);
      input.setAttribute("lang", config.language);
    }
    // The quick-reply buttons are plain <div>s: make them reachable and usable with the keyboard.
    root.querySelectorAll(".rw-reply").forEach(function (reply) {
      if (reply.hasAttribute("role")) return;
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
      reply.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          reply.click();
        }
      });
    });
    var send = root.querySelector(".rw-send");
    if (send && !send.hasAttribute("aria-label")) send.setAttribute("aria-label", texts.send);
    root.querySelectorAll(".rw-image-frame, .rw-message img").forEach(function (image) {
      // The card's text is in the messages above the image, so the image adds nothing for a screen reader.
      if (!image.hasAttribute("alt")) image.setAttribute("alt", "");
    });
  }

  function watch(root) {
    improve(root);
    new MutationObserver(function () { improve(root); }).observe(root, { childList: true, subtree: true });
  }

  function switchLanguage() {
    if (!widget || !languageJustChosen) return;
    languageJustChosen = false;
    // A hidden message: the assistant confirms the new language and goes on in it.
    widget.sendMessage('/change_language{"language":"' + config.language + '"}');
  }

  function mount() {
    var root = document.getElementById("chat");
    var returning = hasConversation();
    window.WebChat.default({
      socketUrl: config.socketUrl,
      socketPath: "/socket.io/",
      customData: { language: config.language },
      initPayload: "/greet",
      title: texts.title,
      subtitle: texts.subtitle,
      inputTextFieldHint: texts.input_hint,
      connectingText: texts.connecting,
      embedded: true,
      showCloseButton: false,
      hideWhenNotConnected: false,
      params: { storage: config.discreet ? "session" : "local" },
      withRules: false, // rasa-webchat "pro" rules come from Botfront, which we do not use
      customMessageDelay: function () { return 150; },
      innerRef: function (instance) { widget = instance; },
      onSocketEvent: {
        session_confirm: function () {
          if (returning) window.setTimeout(switchLanguage, 0);
        }
      }
    }, root);
    watch(root);
  }

  function wireControls() {
    var language = document.getElementById("language");
    var discreet = document.getElementById("discreet");
    language.addEventListener("change", function () {
      window.location.assign(pageUrl(language.value, discreet.checked, { switched: "1" }));
    });
    discreet.addEventListener("change", function () {
      moveConversation(discreet.checked);
      window.location.assign(pageUrl(config.language, discreet.checked));
    });
    document.getElementById("clear-chat").addEventListener("click", function () {
      clearStoredChat();
      // A bot message may still arrive and be stored before the page is gone: clear again on leaving.
      window.addEventListener("pagehide", clearStoredChat);
      window.location.replace(pageUrl(config.language, config.discreet, { cleared: "1" }));
    });
  }

  moveConversation(config.discreet);
  wireControls();
  if (languageJustChosen) forgetFlag("switched"); // a later reload must not announce it again
  if (params.has("cleared")) {
    forgetFlag("cleared");
    announce(texts.cleared);
  }
  mount();
}());
