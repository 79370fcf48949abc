/* The definition editor's stage picker (workflows/blocks.py).
 *
 * A transition names its stages by code: "depuis les étapes" holds codes separated by
 * commas, "vers l'étape" one code. Typed by hand, that needs the codes by heart. This
 * Stimulus controller, on each of those two fields, shows instead the stages the editor
 * holds right now (added, renamed, reordered or removed before saving) as checkboxes
 * ("depuis") or a list ("vers"), and writes the codes back into the field's text box, now
 * hidden. The stored value is unchanged; without this script the text box stays usable.
 *
 * Loaded as a file by the definition form's media: no inline script, no eval (the admin's
 * CSP). Styles are classes of editor.css, never style attributes.
 */
(() => {
  "use strict";

  const app = window.wagtail && window.wagtail.app;
  const Stimulus = window.StimulusModule;
  if (!app || !Stimulus) {
    return; // an admin without Stimulus: the text boxes stay as they are
  }

  const UNKNOWN = " (étape inconnue)";
  const pickers = new Set();
  // The last code each stage's code box held, to follow a rename into the transitions.
  const knownCodes = new WeakMap();
  let refreshQueued = false;

  function parseCodes(text) {
    return text
      .split(",")
      .map((code) => code.trim())
      .filter((code) => code !== "");
  }

  function isDeleted(child) {
    if (!child) {
      return false;
    }
    const deleted = child.querySelector(':scope > input[name$="-deleted"]');
    return (deleted && deleted.value === "1") || child.getAttribute("aria-hidden") === "true";
  }

  /** The stages of one form, in the editor's order: [{code, label, input}]. */
  function stagesOf(form) {
    const stages = [];
    form.querySelectorAll('[data-workflow-stage="code"]').forEach((field) => {
      const input = field.querySelector("input");
      const child = field.closest("[data-streamfield-child]");
      if (!input || isDeleted(child)) {
        return;
      }
      const labelField = child && child.querySelector('[data-workflow-stage="label"] input');
      stages.push({
        code: input.value.trim(),
        label: labelField ? labelField.value.trim() : "",
        input,
      });
    });
    return stages;
  }

  /** What a person reads for each stage: its label, with its code when two labels match. */
  function choicesOf(stages) {
    const named = stages.filter((stage) => stage.code !== "");
    const counts = new Map();
    named.forEach((stage) => counts.set(stage.label, (counts.get(stage.label) || 0) + 1));
    return named.map((stage) => ({
      code: stage.code,
      text:
        stage.label && counts.get(stage.label) === 1
          ? stage.label
          : `${stage.label || stage.code} (${stage.code})`,
    }));
  }

  function refreshAll() {
    refreshQueued = false;
    const byForm = new Map();
    pickers.forEach((picker) => {
      const form = picker.input.form || document;
      if (!byForm.has(form)) {
        byForm.set(form, choicesOf(stagesOf(form)));
      }
      picker.render(byForm.get(form));
    });
  }

  function queueRefresh() {
    if (!refreshQueued && pickers.size) {
      refreshQueued = true;
      window.requestAnimationFrame(refreshAll);
    }
  }

  /** A stage's code box changed: the transitions that named its old code follow it, unless
   * another stage still bears that code. */
  function followRename(input) {
    const previous = knownCodes.get(input);
    const current = input.value.trim();
    if (current === "") {
      return; // a code being retyped: follow it once it has a value again
    }
    knownCodes.set(input, current);
    if (!previous || previous === current) {
      return;
    }
    const form = input.form || document;
    if (stagesOf(form).some((stage) => stage.code === previous)) {
      return;
    }
    pickers.forEach((picker) => {
      if ((picker.input.form || document) === form) {
        picker.rename(previous, current);
      }
    });
  }

  document.addEventListener("input", (event) => {
    const field = event.target.closest && event.target.closest("[data-workflow-stage]");
    if (!field) {
      return;
    }
    if (field.dataset.workflowStage === "code") {
      followRename(event.target);
    }
    queueRefresh();
  });

  // Blocks added, moved, duplicated or deleted (Wagtail hides a deleted block).
  new MutationObserver(queueRefresh).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-hidden"],
  });

  class StagePickerController extends Stimulus.Controller {
    static values = { multiple: Boolean };

    connect() {
      this.input = this.element.querySelector("[data-field-input] input");
      if (!this.input) {
        return;
      }
      const label = document.querySelector(`label[for="${this.input.id}"]`);
      this.labelText = label ? label.textContent.trim() : "";
      this.signature = null;
      if (this.multipleValue) {
        this.picker = document.createElement("fieldset");
        this.picker.className = "ml-stage-picker ml-stage-picker--multiple";
        const legend = document.createElement("legend");
        legend.className = "w-sr-only";
        legend.textContent = this.labelText;
        this.picker.append(legend);
        this.list = document.createElement("div");
        this.list.className = "ml-stage-picker__list";
        this.picker.append(this.list);
      } else {
        this.picker = document.createElement("select");
        this.picker.className = "ml-stage-picker ml-stage-picker--single";
        this.picker.id = `${this.input.id}-picker`;
        if (label) {
          label.htmlFor = this.picker.id;
        }
      }
      this.picker.addEventListener("change", () => this.write());
      this.input.classList.add("ml-stage-picker__text");
      this.input.hidden = true;
      this.input.after(this.picker);
      // The stages' codes as they stand now, so the first rename is followed.
      stagesOf(this.input.form || document).forEach((stage) => {
        if (stage.code && !knownCodes.has(stage.input)) {
          knownCodes.set(stage.input, stage.code);
        }
      });
      pickers.add(this);
      refreshAll();
    }

    disconnect() {
      pickers.delete(this);
      if (this.picker) {
        this.picker.remove();
        this.input.hidden = false;
      }
    }

    /** The codes the field holds, in its text box. */
    codes() {
      return parseCodes(this.input.value);
    }

    render(choices) {
      const selected = this.codes();
      const signature = JSON.stringify([choices, selected]);
      if (signature === this.signature) {
        return;
      }
      this.signature = signature;
      const known = new Set(choices.map((choice) => choice.code));
      // A code no stage bears (a typo, a stage removed): shown, so nothing is lost silently.
      const all = choices.concat(
        selected
          .filter((code) => !known.has(code))
          .map((code) => ({ code, text: code + UNKNOWN })),
      );
      if (this.multipleValue) {
        this.renderCheckboxes(all, new Set(selected));
      } else {
        this.renderSelect(all, selected[0] || "");
      }
    }

    renderCheckboxes(choices, selected) {
      const items = choices.map((choice, index) => {
        const item = document.createElement("label");
        item.className = "ml-stage-picker__choice";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.value = choice.code;
        box.id = `${this.input.id}-picker-${index}`;
        box.checked = selected.has(choice.code);
        item.append(box, ` ${choice.text}`);
        return item;
      });
      if (!items.length) {
        const empty = document.createElement("p");
        empty.className = "help";
        empty.textContent = "Ajoutez d'abord une étape.";
        items.push(empty);
      }
      this.list.replaceChildren(...items);
    }

    renderSelect(choices, selected) {
      const placeholder = new Option("— Choisir l'étape —", "");
      const options = choices.map((choice) => new Option(choice.text, choice.code));
      this.picker.replaceChildren(placeholder, ...options);
      this.picker.value = selected;
    }

    /** Copies the picked stages into the text box, in the editor's order. */
    write() {
      let codes;
      if (this.multipleValue) {
        codes = Array.from(this.list.querySelectorAll("input:checked"), (box) => box.value);
      } else {
        codes = this.picker.value ? [this.picker.value] : [];
      }
      this.setCodes(codes);
    }

    rename(previous, current) {
      const codes = this.codes();
      if (codes.includes(previous)) {
        this.setCodes(codes.map((code) => (code === previous ? current : code)));
      }
    }

    setCodes(codes) {
      this.input.value = codes.join(", ");
      // Wagtail's unsaved-changes warning and autosave listen to the form.
      this.input.dispatchEvent(new Event("input", { bubbles: true }));
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
      queueRefresh();
    }
  }

  app.register("workflow-stage-picker", StagePickerController);
})();
