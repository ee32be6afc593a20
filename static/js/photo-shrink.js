/* Shrink photos on the phone before they are uploaded, and refuse one that is still too large
 * before a long upload starts.
 *
 * A phone photo is 3–15 MB; the site keeps at most 1600 px of it. Sent as chosen, it takes
 * minutes on a slow mobile network. File inputs marked data-photo-shrink (templates/macros/
 * photos.html) get each chosen image redrawn upright with its longer side at most 1600 px and
 * re-encoded as JPEG, a few hundred KB, before the form is sent. The server still checks
 * everything; this only makes the upload short.
 *
 * A file is kept as chosen when the browser cannot do this (no createImageBitmap or DataTransfer,
 * or it cannot decode the file, e.g. HEIC) or when the result is not smaller. The limits and the
 * messages come from the server in data attributes: data-max-bytes (per photo),
 * data-max-request-bytes (the whole form), data-working, data-too-large ("{name}" is replaced by
 * the file's name), data-too-much. Without JavaScript nothing here runs and the form still works.
 */
(function () {
  'use strict';

  var LONG_SIDE = 1600;
  var QUALITY = 0.85;

  function canShrink() {
    if (!window.createImageBitmap || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) {
      return false;
    }
    try {
      new DataTransfer(); // Safari before 14.1 has the name but not the constructor
      return true;
    } catch (error) {
      return false;
    }
  }

  function jpegName(name) {
    var dot = name.lastIndexOf('.');
    return (dot > 0 ? name.slice(0, dot) : name) + '.jpg';
  }

  function shrink(file) {
    return createImageBitmap(file, { imageOrientation: 'from-image' })
      .then(function (bitmap) {
        var scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height)); // never upscale
        var width = Math.max(1, Math.round(bitmap.width * scale));
        var height = Math.max(1, Math.round(bitmap.height * scale));
        var canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        var context = canvas.getContext('2d');
        context.fillStyle = '#fff'; // transparent PNG areas become white, as on the server
        context.fillRect(0, 0, width, height);
        context.imageSmoothingQuality = 'high';
        context.drawImage(bitmap, 0, 0, width, height);
        if (bitmap.close) bitmap.close();
        return new Promise(function (resolve) {
          canvas.toBlob(resolve, 'image/jpeg', QUALITY);
        });
      })
      .then(function (blob) {
        if (!blob || blob.size >= file.size) return file;
        return new File([blob], jpegName(file.name), { type: 'image/jpeg', lastModified: file.lastModified });
      })
      .catch(function () {
        return file; // not decodable here: the server decides
      });
  }

  function statusOf(input) {
    return document.getElementById(input.id + '-status');
  }

  function show(input, text, isError) {
    var status = statusOf(input);
    if (!status) return;
    status.textContent = text || '';
    status.hidden = !text;
    status.className = isError ? 'photo-status error-text' : 'photo-status';
    if (isError) {
      input.setAttribute('aria-invalid', 'true');
    } else if (!input.closest('.field-error')) {
      input.removeAttribute('aria-invalid');
    }
  }

  /* What is wrong with the files now in the input, in the server's words; '' when nothing. */
  function problem(input) {
    var perPhoto = Number(input.dataset.maxBytes) || Infinity;
    var perRequest = Number(input.dataset.maxRequestBytes) || Infinity;
    var total = 0;
    var messages = [];
    Array.prototype.forEach.call(input.files, function (file) {
      total += file.size;
      if (file.size > perPhoto) {
        messages.push((input.dataset.tooLarge || '').replace('{name}', file.name));
      }
    });
    if (!messages.length && total > perRequest) messages.push(input.dataset.tooMuch || '');
    return messages.join(' ');
  }

  function submitButtons(form) {
    return form.querySelectorAll('button:not([type]), button[type="submit"], input[type="submit"]');
  }

  function setBusy(form) {
    var busy = !!form.querySelector('input[data-photo-shrink][data-busy]');
    Array.prototype.forEach.call(submitButtons(form), function (button) {
      if (busy) {
        if (!button.disabled) {
          button.disabled = true;
          button.dataset.photoDisabled = '';
        }
      } else if ('photoDisabled' in button.dataset) {
        button.disabled = false;
        delete button.dataset.photoDisabled;
      }
    });
  }

  function check(input) {
    var text = problem(input);
    if (text) {
      input.dataset.blocked = '';
    } else {
      delete input.dataset.blocked;
    }
    show(input, text, !!text);
  }

  function onChange(event) {
    var input = event.target;
    var files = Array.prototype.slice.call(input.files || []);
    var job = {};
    input.photoJob = job;
    if (!files.length || !canShrink()) {
      check(input);
      return;
    }
    input.dataset.busy = '';
    setBusy(input.form);
    show(input, input.dataset.working, false);
    Promise.all(files.map(shrink)).then(function (results) {
      if (input.photoJob !== job) return; // chosen again meanwhile: that choice wins
      if (results.some(function (file, index) { return file !== files[index]; })) {
        var transfer = new DataTransfer();
        results.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files; // no change event: nothing loops
      }
      delete input.dataset.busy;
      setBusy(input.form);
      check(input);
    });
  }

  function onSubmit(event) {
    var form = event.target;
    var inputs = form.querySelectorAll('input[data-photo-shrink]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ('busy' in input.dataset || 'blocked' in input.dataset) {
        event.preventDefault();
        if ('blocked' in input.dataset) show(input, problem(input), true);
        input.focus();
        return;
      }
    }
  }

  function start() {
    var inputs = document.querySelectorAll('input[type="file"][data-photo-shrink]');
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener('change', onChange);
      if (input.form && !input.form.dataset.photoChecked) {
        input.form.dataset.photoChecked = '';
        input.form.addEventListener('submit', onSubmit);
      }
      if (input.files && input.files.length) check(input); // files kept by the back button
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
