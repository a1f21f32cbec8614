// The upload page: send the dropped or chosen files with upload progress, then poll the
// check until the report is ready and open it. Messages from the server are shown as text.
(function () {
  "use strict";
  const zone = document.getElementById("drop-zone");
  const input = document.getElementById("files");
  const box = document.getElementById("progress-box");
  const status = document.getElementById("status");
  const bar = document.getElementById("progress");
  const problem = document.getElementById("problem");
  const maxBytes = Number(zone.dataset.maxBytes);
  let busy = false;

  function show(text, fraction) {
    problem.hidden = true;
    box.hidden = false;
    status.textContent = text;
    if (fraction === null) {
      bar.removeAttribute("value");  // an indeterminate bar: reading takes as long as it takes
    } else {
      bar.value = Math.round(fraction * 100);
    }
  }

  function fail(text) {
    busy = false;
    box.hidden = true;
    zone.classList.remove("busy");
    problem.textContent = text;
    problem.hidden = false;
    input.value = "";
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function poll(statusUrl) {
    fetch(statusUrl, {cache: "no-store"})
      .then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) { throw new Error(text); });
        }
        return response.json();
      })
      .then(function (job) {
        if (job.state === "done") {
          show("Done. Opening the report…", 1);
          window.location.assign(job.report);
        } else if (job.state === "failed") {
          fail(job.message);
        } else {
          if (job.read < job.files) {
            show("Reading " + plural(job.files, "file") + "… " + job.read + " of " + job.files + " done",
                 job.read / job.files);
          } else {
            show("Writing the report…", null);
          }
          window.setTimeout(function () { poll(statusUrl); }, 700);
        }
      })
      .catch(function (error) {
        fail(error.message || "curriclint stopped answering. Is it still running?");
      });
  }

  function send(files) {
    if (busy || files.length === 0) {
      return;
    }
    const total = files.reduce(function (sum, file) { return sum + file.size; }, 0);
    if (total > maxBytes) {
      fail(zone.dataset.tooLarge);
      return;
    }
    busy = true;
    zone.classList.add("busy");
    const data = new FormData();
    files.forEach(function (file) { data.append("files", file, file.name); });
    const request = new XMLHttpRequest();
    request.open("POST", zone.dataset.uploadUrl);
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        show("Uploading " + plural(files.length, "file") + "… " +
             Math.round(100 * event.loaded / event.total) + "%", event.loaded / event.total);
      }
    });
    request.upload.addEventListener("load", function () {
      show("Unpacking and getting ready to read…", null);
    });
    request.addEventListener("load", function () {
      if (request.status === 202) {
        const job = JSON.parse(request.responseText);
        show("Reading " + plural(job.files, "file") + "…", 0);
        poll(job.status);
      } else {
        fail(request.responseText.trim() || "The files could not be sent (" + request.status + ").");
      }
    });
    request.addEventListener("error", function () {
      fail("The upload was interrupted. Is curriclint still running? Try again.");
    });
    show("Uploading " + plural(files.length, "file") + "…", 0);
    request.send(data);
  }

  function holdsFolder(transfer) {
    return Array.prototype.some.call(transfer.items || [], function (item) {
      const entry = item.webkitGetAsEntry && item.webkitGetAsEntry();
      return entry && entry.isDirectory;
    });
  }

  input.addEventListener("change", function () {
    send(Array.prototype.slice.call(input.files));
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (holdsFolder(event.dataTransfer)) {
      fail("To check a whole folder, make a .zip of it first (right-click the folder, then " +
           "Compress or Send to › Compressed folder) and drop the .zip here.");
      return;
    }
    send(Array.prototype.slice.call(event.dataTransfer.files));
  });
  // A file dropped beside the zone would otherwise replace this page with the file.
  window.addEventListener("dragover", function (event) { event.preventDefault(); });
  window.addEventListener("drop", function (event) { event.preventDefault(); });
})();
