// The case list reloads every 10 seconds, so new cases and waiting times show up.
"use strict";
setTimeout(function () { window.location.reload(); }, 10000);
