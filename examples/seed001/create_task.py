# Seed 001, "Пример 1: Публикация задачи через API", as written, with an auth header added.
# TASK_MARKET_URL and TASK_MARKET_API_KEY say where the market is and who posts (an API key from the web app).
import os

import requests

BASE = os.environ.get("TASK_MARKET_URL", "http://task-market:8080")
HEADERS = {"Authorization": f"Bearer {os.environ['TASK_MARKET_API_KEY']}"}

# Создание задачи
response = requests.post(f"{BASE}/tasks", json={
    "challenge_type": "inference",
    "payload": {
        "model_id": "gpt-3.5-turbo",
        "prompt": "Hello, world!",
        "max_tokens": 100
    },
    "reward": "10.0"
}, headers=HEADERS)

task_id = response.json()["task_id"]
print(f"Task created: {task_id}")

# Проверка статуса
status = requests.get(f"{BASE}/tasks/{task_id}")
print(status.json())
