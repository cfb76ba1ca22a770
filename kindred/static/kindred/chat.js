/* Kindred live chat: upgrades the server-rendered room page (which works without JavaScript) to a socket.
 *
 * - Sends with a client message id; unacknowledged messages are resent after a reconnect with the same id,
 *   and the server never stores or delivers a resend twice.
 * - Reconnects with ?since=<last message id> so missed messages arrive in order.
 * - Everything people write is put on the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root || !("WebSocket" in window)) {
    return;
  }
  var list = document.getElementById("chat-messages");
  var form = document.getElementById("chat-form");
  var textarea = document.getElementById("chat-text");
  var statusLine = document.getElementById("chat-status");
  var stateLine = document.getElementById("chat-state");
  var presenceLine = document.getElementById("chat-presence");
  var me = root.getAttribute("data-me");
  var canModerate = root.getAttribute("data-can-moderate") === "1";
  var lastId = root.getAttribute("data-last-id") || "";
  var pending = {}; // client_msg_id -> text, until acknowledged
  var socket = null;
  var retry = 0;

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function showError(text) {
    var box = document.getElementById("chat-live-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "chat-live-error";
      box.className = "notice";
      box.setAttribute("role", "alert");
      box.setAttribute("data-testid", "chat-error");
      (form || list).parentNode.insertBefore(box, form || list.nextSibling);
    }
    box.textContent = text;
  }

  function clearError() {
    var box = document.getElementById("chat-live-error");
    if (box) {
      box.parentNode.removeChild(box);
    }
  }

  function link(href, text, hiddenText) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (hiddenText) {
      var span = document.createElement("span");
      span.className = "visually-hidden";
      span.textContent = hiddenText;
      a.appendChild(span);
    }
    return a;
  }

  function render(message) {
    var item = document.createElement("li");
    item.id = "message-" + message.id;
    item.className = "chat-message";
    item.setAttribute("data-id", message.id);
    item.setAttribute("data-author", message.author_id);
    var meta = document.createElement("p");
    meta.className = "chat-meta";
    var who = document.createElement("strong");
    who.className = "chat-author";
    who.textContent = message.author;
    var when = document.createElement("time");
    when.dateTime = message.created_at;
    var date = new Date(message.created_at);
    when.textContent = ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
    meta.appendChild(who);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(when);
    var body = document.createElement("p");
    body.className = "chat-text";
    body.textContent = message.text;
    item.appendChild(meta);
    item.appendChild(body);
    if (message.author_id !== me) {
      var actions = document.createElement("p");
      actions.className = "chat-actions";
      actions.appendChild(link("/online/messages/" + message.id + "/report/", "Report",
        " this message from " + message.author));
      if (canModerate) {
        actions.appendChild(document.createTextNode(" · "));
        actions.appendChild(link("/online/messages/" + message.id + "/moderate/", "Moderate", " this message"));
      }
      item.appendChild(actions);
    }
    return item;
  }

  function add(message) {
    if (document.getElementById("message-" + message.id)) {
      return; // already on the page (a catch-up can overlap what the page showed)
    }
    var empty = list.querySelector(".chat-empty");
    if (empty) {
      list.removeChild(empty);
    }
    list.appendChild(render(message));
    lastId = message.id;
  }

  function hide(id) {
    var item = document.getElementById("message-" + id);
    if (item) {
      var body = item.querySelector(".chat-text");
      body.textContent = "This message was hidden by a moderator.";
      item.className = "chat-message chat-message-hidden";
    }
  }

  function showPresence(presence) {
    var text = presence.count + (presence.count === 1 ? " person" : " people") + " here";
    if (presence.names && presence.names.length) {
      text += ", including " + presence.names.join(", ");
    }
    presenceLine.textContent = text + ".";
  }

  function showState(state) {
    stateLine.textContent = state.open ? state.message : "Closed. " + state.message;
  }

  function showCrisisPanel(panel) {
    var old = document.getElementById("chat-crisis-panel");
    if (old) {
      old.parentNode.removeChild(old);
    }
    var section = document.createElement("section");
    section.id = "chat-crisis-panel";
    section.className = "notice crisis-panel";
    section.setAttribute("role", "region");
    section.setAttribute("aria-labelledby", "chat-crisis-heading");
    section.setAttribute("data-testid", "crisis-panel");
    section.tabIndex = -1;
    var heading = document.createElement("h2");
    heading.id = "chat-crisis-heading";
    heading.textContent = panel.title;
    var intro = document.createElement("p");
    intro.textContent = panel.message;
    var routes = document.createElement("ul");
    routes.className = "crisis-routes";
    panel.uk_routes.concat(panel.local).forEach(function (route) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = route.name + ": ";
      item.appendChild(name);
      var tel = route.tel || route.phone;
      var sms = route.sms || route.text_number;
      if (tel) {
        item.appendChild(link("tel:" + tel.replace(/\s/g, ""), route.how || "Call " + tel));
      } else if (sms) {
        item.appendChild(link("sms:" + sms.replace(/\s/g, ""), route.how || "Text " + sms));
      }
      item.appendChild(document.createTextNode(" " + (route.detail || route.description || "")));
      routes.appendChild(item);
    });
    var more = document.createElement("p");
    more.appendChild(link(panel.help_url, "More ways to get help now"));
    section.appendChild(heading);
    section.appendChild(intro);
    section.appendChild(routes);
    section.appendChild(more);
    root.parentNode.insertBefore(section, root);
    section.focus();
  }

  function send(clientId, text) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "message", client_msg_id: clientId, text: text }));
    }
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "welcome":
        retry = 0;
        showState(frame.state);
        showPresence(frame.presence);
        (frame.missed || frame.messages || []).forEach(add);
        Object.keys(pending).forEach(function (clientId) { send(clientId, pending[clientId]); });
        say("Connected. New messages appear as they are sent.");
        break;
      case "message":
        add(frame.message);
        break;
      case "missed":
      case "history":
        frame.messages.forEach(add);
        break;
      case "ack":
        delete pending[frame.client_msg_id];
        if (!frame.held) {
          add(frame.message);
        }
        break;
      case "held":
        showError(frame.message);
        break;
      case "crisis_panel":
        showCrisisPanel(frame.panel);
        break;
      case "hidden":
        hide(frame.id);
        break;
      case "presence":
        showPresence(frame.presence);
        break;
      case "state":
        showState(frame.state);
        break;
      case "error":
        if (frame.client_msg_id) {
          delete pending[frame.client_msg_id];
        }
        showError(frame.message);
        break;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + root.getAttribute("data-ws-path");
    if (lastId) {
      url += "?since=" + encodeURIComponent(lastId);
    }
    socket = new WebSocket(url);
    socket.onmessage = function (event) {
      try {
        onFrame(JSON.parse(event.data));
      } catch (error) {
        /* a frame we can't read is ignored; the page still works */
      }
    };
    socket.onclose = function () {
      socket = null;
      retry += 1;
      say("Reconnecting…");
      window.setTimeout(connect, Math.min(30000, 500 * Math.pow(2, Math.min(retry, 6))));
    };
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        return; // no live connection: the form posts normally and the page reloads
      }
      event.preventDefault();
      var text = textarea.value;
      if (!text.trim()) {
        showError("Please write a message first.");
        return;
      }
      clearError();
      var clientId = newClientId();
      pending[clientId] = text;
      send(clientId, text);
      textarea.value = "";
      textarea.focus();
    });
  }

  connect();
})();
